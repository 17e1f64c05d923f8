package io.courier.internal.elsewhere;

/**
 * An unchecked exception outside the package (and packages below it) of {@code ApplicationExceptionsTest}'s service,
 * with a public constructor, that records whether its class was initialized.
 */
public final class FlagsItsInitialization extends RuntimeException {

  /** Set by the static initializer; a constant, so reading it initializes nothing. */
  public static final String PROPERTY = "courier.test.elsewhere.FlagsItsInitialization";
  private static final long serialVersionUID = 1L;

  static {
    System.setProperty(PROPERTY, "initialized");
  }

  public FlagsItsInitialization(String message) {
    super(message);
  }
}
