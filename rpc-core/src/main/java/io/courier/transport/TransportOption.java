package io.courier.transport;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A typed setting of a transport, with a default and a validity check, in the manner of Netty's
 * {@code ChannelOption}. Transports declare theirs as constants (see {@code TcpOptions}); users set them on a
 * client or server builder.
 *
 * <pre>{@code
 * RpcServer.builder().option(TcpOptions.MAX_FRAME_SIZE, 16 << 20)
 * }</pre>
 *
 * @param <T> the value type
 */
public final class TransportOption<T> {

  private final String name;
  private final Class<T> type;
  private final T defaultValue;
  private final Predicate<? super T> check;
  private final String expected;

  private TransportOption(String name, Class<T> type, T defaultValue, Predicate<? super T> check,
      String expected) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.check = check;
    this.expected = expected;
  }

  /**
   * An option whose values must pass {@code check}; {@code expected} describes valid values for error
   * messages, for example {@code "> 0"}.
   */
  public static <T> TransportOption<T> of(String name, Class<T> type, T defaultValue,
      Predicate<? super T> check, String expected) {
    return new TransportOption<>(name, type, defaultValue, check, expected);
  }

  public String name() {
    return name;
  }

  public T defaultValue() {
    return defaultValue;
  }

  /**
   * Returns {@code value} if valid.
   *
   * @throws IllegalArgumentException of the form {@code "name: value (expected: ...)"}
   */
  public T validate(Object value) {
    if (!type.isInstance(value) || !check.test(type.cast(value))) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
    }
    return type.cast(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
