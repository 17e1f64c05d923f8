package io.courier.common;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Options for calls made through a stub: timeout, serializer, headers and typed custom options that
 * interceptors, load balancers and transports read. Immutable; {@code with*} methods return a copy.
 *
 * <p>The timeout that applies to a call is, from strongest to weakest: {@link #timeout()} when set, then the
 * method's {@link Timeout} annotation, then the client's default. Every call has one.
 *
 * <pre>{@code
 * CallOptions opts = CallOptions.DEFAULT
 *     .withTimeout(Duration.ofMillis(200))
 *     .withHeader(TENANT, "acme");
 * UserService users = client.create(UserService.class, opts);
 * }</pre>
 */
public final class CallOptions {

  /** No options set: the client's defaults apply. */
  public static final CallOptions DEFAULT =
      new CallOptions(null, null, Metadata.EMPTY, new Key<?>[0], new Object[0]);

  private final Duration timeout;
  private final String serializer;
  private final Metadata headers;
  private final Key<?>[] keys;
  private final Object[] values;

  private CallOptions(Duration timeout, String serializer, Metadata headers, Key<?>[] keys, Object[] values) {
    this.timeout = timeout;
    this.serializer = serializer;
    this.headers = headers;
    this.keys = keys;
    this.values = values;
  }

  /** The timeout set here, or {@code null} to defer to the method annotation or client default. */
  public Duration timeout() {
    return timeout;
  }

  /** The serializer name set here, or {@code null} for the client's default. */
  public String serializer() {
    return serializer;
  }

  /** Headers sent with every call. */
  public Metadata headers() {
    return headers;
  }

  /** @throws IllegalArgumentException if {@code timeout} is zero or negative */
  public CallOptions withTimeout(Duration timeout) {
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    return new CallOptions(timeout, serializer, headers, keys, values);
  }

  public CallOptions withSerializer(String serializer) {
    return new CallOptions(timeout, serializer, headers, keys, values);
  }

  /** Replaces the headers. */
  public CallOptions withHeaders(Metadata headers) {
    return new CallOptions(timeout, serializer, Objects.requireNonNull(headers, "headers"), keys, values);
  }

  /** Adds one header value. */
  public <T> CallOptions withHeader(Metadata.Key<T> key, T value) {
    return new CallOptions(timeout, serializer, headers.with(key, value), keys, values);
  }

  /** Sets a custom option; {@code null} removes it. */
  public <T> CallOptions with(Key<T> key, T value) {
    int index = indexOf(key);
    if (index >= 0) {
      if (value == null) {
        Key<?>[] k = new Key<?>[keys.length - 1];
        Object[] v = new Object[values.length - 1];
        System.arraycopy(keys, 0, k, 0, index);
        System.arraycopy(keys, index + 1, k, index, keys.length - index - 1);
        System.arraycopy(values, 0, v, 0, index);
        System.arraycopy(values, index + 1, v, index, values.length - index - 1);
        return new CallOptions(timeout, serializer, headers, k, v);
      }
      Object[] v = values.clone();
      v[index] = value;
      return new CallOptions(timeout, serializer, headers, keys, v);
    }
    if (value == null) {
      return this;
    }
    Key<?>[] k = Arrays.copyOf(keys, keys.length + 1);
    Object[] v = Arrays.copyOf(values, values.length + 1);
    k[keys.length] = key;
    v[values.length] = value;
    return new CallOptions(timeout, serializer, headers, k, v);
  }

  /** The custom option's value, or its default. */
  public <T> T get(Key<T> key) {
    int index = indexOf(key);
    @SuppressWarnings("unchecked")
    T value = index >= 0 ? (T) values[index] : key.defaultValue;
    return value;
  }

  /** Options set in {@code overrides} win; everything else comes from this. Headers are concatenated. */
  public CallOptions mergedWith(CallOptions overrides) {
    if (overrides == DEFAULT || overrides == this) {
      return this;
    }
    CallOptions merged = new CallOptions(
        overrides.timeout != null ? overrides.timeout : timeout,
        overrides.serializer != null ? overrides.serializer : serializer,
        headers.withAll(overrides.headers), keys, values);
    for (int i = 0; i < overrides.keys.length; i++) {
      @SuppressWarnings("unchecked")
      Key<Object> key = (Key<Object>) overrides.keys[i];
      merged = merged.with(key, overrides.values[i]);
    }
    return merged;
  }

  private int indexOf(Key<?> key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == key) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CallOptions{");
    sb.append("timeout=").append(timeout).append(", serializer=").append(serializer);
    if (!headers.isEmpty()) {
      sb.append(", headers=").append(headers);
    }
    for (int i = 0; i < keys.length; i++) {
      sb.append(", ").append(keys[i]).append('=').append(values[i]);
    }
    return sb.append('}').toString();
  }

  /**
   * A typed custom option. Keys compare by identity: create each once, as a constant.
   *
   * <pre>{@code
   * public static final CallOptions.Key<String> HASH_KEY = CallOptions.Key.of("hash-key", null);
   * }</pre>
   */
  public static final class Key<T> {
    private final String name;
    private final T defaultValue;

    private Key(String name, T defaultValue) {
      this.name = name;
      this.defaultValue = defaultValue;
    }

    public static <T> Key<T> of(String name, T defaultValue) {
      return new Key<>(Objects.requireNonNull(name, "name"), defaultValue);
    }

    public String name() {
      return name;
    }

    public T defaultValue() {
      return defaultValue;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
