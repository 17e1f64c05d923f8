package io.courier.spring.internal;

/**
 * Courier could not start with the configuration it was given. Names the property (or annotation) at fault, its
 * value, what is wrong and what to do, for {@link CourierFailureAnalyzer}. Invariant: property and action are never
 * blank.
 */
public final class CourierConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String value;
  private final String action;

  /**
   * @param property what holds the bad setting, for example {@code courier.registry.address}
   * @param value the value as given, or {@code null}
   * @param problem what is wrong
   * @param action what to do next
   */
  public CourierConfigurationException(String property, Object value, String problem, String action,
      Throwable cause) {
    super(property + (value == null ? "" : " = '" + value + "'") + ": " + problem, cause);
    this.property = property;
    this.value = value == null ? null : String.valueOf(value);
    this.action = action;
  }

  /** The property or annotation attribute at fault. */
  public String property() {
    return property;
  }

  /** The value as given, or {@code null}. */
  public String value() {
    return value;
  }

  /** What to do next. */
  public String action() {
    return action;
  }
}
