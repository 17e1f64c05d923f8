package io.courier.transport;

import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/** The transport settings of one client or server; unset options read as their default. Immutable. */
public final class TransportOptions {

  public static final TransportOptions DEFAULT = new TransportOptions(Map.of());

  private final Map<TransportOption<?>, Object> values;

  private TransportOptions(Map<TransportOption<?>, Object> values) {
    this.values = values;
  }

  /** The value set for {@code option}, or its default. */
  public <T> T get(TransportOption<T> option) {
    Object value = values.get(option);
    @SuppressWarnings("unchecked")
    T t = value == null ? option.defaultValue() : (T) value;
    return t;
  }

  /** The options of all the sets, for a transport that declares what it reads in parts. */
  @SafeVarargs
  public static Set<TransportOption<?>> union(Set<TransportOption<?>>... sets) {
    Set<TransportOption<?>> all = new HashSet<>();
    for (Set<TransportOption<?>> set : sets) {
      all.addAll(set);
    }
    return Set.copyOf(all);
  }

  /** The options set explicitly (not those read as their default). */
  public Set<TransportOption<?>> setOptions() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** A copy with {@code option} set; the value is validated here. */
  public <T> TransportOptions with(TransportOption<T> option, T value) {
    Map<TransportOption<?>, Object> copy = new IdentityHashMap<>(values);
    copy.put(option, option.validate(value));
    return new TransportOptions(Collections.unmodifiableMap(copy));
  }

  @Override
  public String toString() {
    return "TransportOptions" + values;
  }
}
