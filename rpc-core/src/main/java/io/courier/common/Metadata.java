package io.courier.common;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Key-value pairs sent with a call (headers) or with its result (trailers): authentication tokens, trace
 * context, user attachments. Immutable; {@code with*} methods return a copy. A key may carry several values,
 * in order.
 *
 * <p>Keys follow gRPC's rules so metadata crosses every transport unchanged: lower-case
 * {@code [a-z0-9_.-]}, and a key ending in {@code -bin} carries bytes while any other key carries printable
 * ASCII text.
 *
 * <pre>{@code
 * static final Metadata.Key<String> TENANT = Metadata.Key.of("x-tenant");
 * Metadata headers = Metadata.EMPTY.with(TENANT, "acme");
 * }</pre>
 */
public final class Metadata {

  /** No entries. */
  public static final Metadata EMPTY = new Metadata(new String[0], new Object[0]);

  private static final String BINARY_SUFFIX = "-bin";

  private final String[] names;
  private final Object[] values; // String for text keys, byte[] for -bin keys; never null

  private Metadata(String[] names, Object[] values) {
    this.names = names;
    this.values = values;
  }

  /** The number of entries (a key with two values counts twice). */
  public int size() {
    return names.length;
  }

  public boolean isEmpty() {
    return names.length == 0;
  }

  /** The key of entry {@code index}, for transports that copy metadata to the wire. */
  public String name(int index) {
    return names[index];
  }

  /**
   * The value of entry {@code index}: a {@code String} for text keys, a {@code byte[]} for {@code -bin} keys.
   * Callers must not modify a returned array.
   */
  public Object value(int index) {
    return values[index];
  }

  /** The value of entry {@code index} as bytes: US-ASCII for text keys, the raw bytes for {@code -bin} keys. */
  public byte[] valueBytes(int index) {
    Object v = values[index];
    return v instanceof byte[] bytes ? bytes : ((String) v).getBytes(StandardCharsets.US_ASCII);
  }

  /** The last value of {@code key}, or {@code null}. */
  public <T> T get(Key<T> key) {
    for (int i = names.length - 1; i >= 0; i--) {
      if (names[i].equals(key.name)) {
        return key.type.cast(values[i]);
      }
    }
    return null;
  }

  /** Every value of {@code key}, in order; empty if none. */
  public <T> List<T> getAll(Key<T> key) {
    List<T> all = new ArrayList<>(2);
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(key.name)) {
        all.add(key.type.cast(values[i]));
      }
    }
    return all;
  }

  public boolean containsKey(Key<?> key) {
    return indexOf(key.name) >= 0;
  }

  /** The distinct keys, in first-seen order. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(names)));
  }

  /** A copy with {@code value} appended to {@code key}'s values. */
  public <T> Metadata with(Key<T> key, T value) {
    Objects.requireNonNull(value, "value");
    key.validate(value);
    String[] n = Arrays.copyOf(names, names.length + 1);
    Object[] v = Arrays.copyOf(values, values.length + 1);
    n[names.length] = key.name;
    v[values.length] = value;
    return new Metadata(n, v);
  }

  /** A copy in which {@code value} replaces every value of {@code key}. */
  public <T> Metadata withOnly(Key<T> key, T value) {
    return without(key).with(key, value);
  }

  /** A copy without any value of {@code key}. */
  public Metadata without(Key<?> key) {
    if (indexOf(key.name) < 0) {
      return this;
    }
    Builder b = new Builder();
    for (int i = 0; i < names.length; i++) {
      if (!names[i].equals(key.name)) {
        b.addTrusted(names[i], values[i]);
      }
    }
    return b.build();
  }

  /** A copy with every entry of {@code other} appended. */
  public Metadata withAll(Metadata other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    String[] n = Arrays.copyOf(names, names.length + other.names.length);
    Object[] v = Arrays.copyOf(values, values.length + other.values.length);
    System.arraycopy(other.names, 0, n, names.length, other.names.length);
    System.arraycopy(other.values, 0, v, values.length, other.values.length);
    return new Metadata(n, v);
  }

  private int indexOf(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** A builder for transports that decode metadata from the wire; it validates every key and value. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code name} is a legal metadata key (lower-case {@code [a-z0-9_.-]}, 1..255 characters). */
  public static boolean isValidKey(String name) {
    if (name == null || name.isEmpty() || name.length() > 255) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} is legal for a text key: printable ASCII, {@code 0x20..0x7E}. */
  public static boolean isValidTextValue(CharSequence value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Metadata other) || other.names.length != names.length) {
      return false;
    }
    for (int i = 0; i < names.length; i++) {
      if (!names[i].equals(other.names[i]) || !Objects.deepEquals(values[i], other.values[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(names);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Metadata{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append('=');
      sb.append(values[i] instanceof byte[] b ? "<" + b.length + " bytes>" : values[i]);
    }
    return sb.append('}').toString();
  }

  /** Accumulates entries; see {@link Metadata#builder()}. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    private Builder() {}

    /**
     * Adds an entry as it arrived on the wire: bytes for {@code -bin} keys, US-ASCII text otherwise.
     *
     * @throws IllegalArgumentException if the key or a text value is not legal
     */
    public Builder addRaw(String name, byte[] value) {
      if (!isValidKey(name)) {
        throw new IllegalArgumentException("metadata key '" + name + "' (expected: lower-case [a-z0-9_.-])");
      }
      if (name.endsWith(BINARY_SUFFIX)) {
        addTrusted(name, value);
      } else {
        for (byte b : value) {
          if (b < 0x20 || b > 0x7E) {
            throw new IllegalArgumentException("metadata '" + name + "' has a non-printable-ASCII value");
          }
        }
        addTrusted(name, new String(value, StandardCharsets.US_ASCII));
      }
      return this;
    }

    /** Adds a text entry. */
    public Builder add(String name, String value) {
      Key.of(name).validate(value);
      return addTrusted(name, value);
    }

    /** Adds a binary entry; {@code name} must end in {@code -bin}. */
    public Builder add(String name, byte[] value) {
      Key.binary(name);
      return addTrusted(name, value);
    }

    private Builder addTrusted(String name, Object value) {
      names.add(name);
      values.add(value);
      return this;
    }

    public int size() {
      return names.size();
    }

    public Metadata build() {
      return names.isEmpty() ? EMPTY : new Metadata(names.toArray(new String[0]), values.toArray());
    }
  }

  /**
   * A typed metadata key. Create keys once, as constants.
   *
   * @param <T> {@code String} for text keys, {@code byte[]} for {@code -bin} keys
   */
  public static final class Key<T> {
    private final String name;
    private final Class<T> type;

    private Key(String name, Class<T> type) {
      this.name = name;
      this.type = type;
    }

    /**
     * A text key.
     *
     * @throws IllegalArgumentException if {@code name} is not lower-case {@code [a-z0-9_.-]} or ends in
     *     {@code -bin}
     */
    public static Key<String> of(String name) {
      if (!isValidKey(name) || name.endsWith(BINARY_SUFFIX)) {
        throw new IllegalArgumentException(
            "metadata key '" + name + "' (expected: lower-case [a-z0-9_.-], not ending in -bin)");
      }
      return new Key<>(name, String.class);
    }

    /**
     * A binary key.
     *
     * @throws IllegalArgumentException if {@code name} is not lower-case {@code [a-z0-9_.-]} ending in
     *     {@code -bin}
     */
    public static Key<byte[]> binary(String name) {
      if (!isValidKey(name) || !name.endsWith(BINARY_SUFFIX)) {
        throw new IllegalArgumentException(
            "binary metadata key '" + name + "' (expected: lower-case [a-z0-9_.-] ending in -bin)");
      }
      return new Key<>(name, byte[].class);
    }

    public String name() {
      return name;
    }

    void validate(Object value) {
      if (value instanceof String s && !isValidTextValue(s)) {
        throw new IllegalArgumentException("metadata '" + name + "': '" + s
            + "' (expected: printable ASCII; use a -bin key for other bytes)");
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key<?> k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
