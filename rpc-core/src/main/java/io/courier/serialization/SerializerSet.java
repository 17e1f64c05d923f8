package io.courier.serialization;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The serializers one client or server can use, by name and by wire id, all sharing one
 * {@link TypeAllowlist}. Immutable.
 *
 * <pre>{@code
 * SerializerSet serializers = SerializerSet.load(TypeAllowlist.withDefaults());
 * Serializer json = serializers.byName("json");
 * }</pre>
 */
public final class SerializerSet {

  private final TypeAllowlist allowlist;
  private final Map<String, Serializer> byName;
  private final Serializer[] byId = new Serializer[128];

  private SerializerSet(TypeAllowlist allowlist, List<Serializer> serializers) {
    this.allowlist = allowlist;
    Map<String, Serializer> names = new LinkedHashMap<>();
    for (Serializer serializer : serializers) {
      int id = serializer.id();
      if (id < 1 || id > 127) {
        throw new IllegalStateException(
            "serializer '" + serializer.name() + "' has id " + id + " (expected: 1..127)");
      }
      Serializer sameName = names.get(serializer.name());
      if (sameName != null) {
        if (sameName.getClass() == serializer.getClass()) {
          continue; // the same provider found twice on the class path
        }
        throw new IllegalStateException("two serializers are named '" + serializer.name() + "': "
            + sameName.getClass().getName() + " and " + serializer.getClass().getName());
      }
      if (byId[id] != null) {
        throw new IllegalStateException("serializers '" + byId[id].name() + "' and '" + serializer.name()
            + "' both use wire id " + id);
      }
      byId[id] = serializer;
      names.put(serializer.name(), serializer);
    }
    this.byName = Collections.unmodifiableMap(names);
  }

  /** Loads every {@link SerializerProvider} visible to this class's loader and the context loader. */
  public static SerializerSet load(TypeAllowlist allowlist) {
    return load(allowlist, List.of());
  }

  /** Like {@link #load(TypeAllowlist)}, plus {@code extra} providers passed by a builder. */
  public static SerializerSet load(TypeAllowlist allowlist, List<SerializerProvider> extra) {
    List<SerializerProvider> providers = new ArrayList<>(extra);
    ServiceLoader.load(SerializerProvider.class, SerializerSet.class.getClassLoader()).forEach(providers::add);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != SerializerSet.class.getClassLoader()) {
      ServiceLoader.load(SerializerProvider.class, context).forEach(providers::add);
    }
    return of(allowlist, providers);
  }

  /** Exactly these providers, no class path scan. */
  public static SerializerSet of(TypeAllowlist allowlist, List<SerializerProvider> providers) {
    List<Serializer> serializers = new ArrayList<>();
    for (SerializerProvider provider : providers) {
      serializers.add(provider.create(allowlist));
    }
    return new SerializerSet(allowlist, serializers);
  }

  /**
   * The serializer called {@code name}.
   *
   * @throws IllegalArgumentException naming what is available and the module to add, if there is none
   */
  public Serializer byName(String name) {
    Serializer serializer = byName.get(name);
    if (serializer == null) {
      throw new IllegalArgumentException("unknown serializer '" + name + "' (available: "
          + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))
          + "; add io.courier:courier-serialization-" + name + " to the class path if it is a Courier format)");
    }
    return serializer;
  }

  /** The serializer with this wire id, or {@code null}. */
  public Serializer byId(int id) {
    return id >= 0 && id < byId.length ? byId[id] : null;
  }

  /** The serializer called {@code name}, or {@code null}. */
  public Serializer find(String name) {
    return byName.get(name);
  }

  /** Names of the available serializers, in discovery order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The allowlist every serializer in this set reads with. */
  public TypeAllowlist allowlist() {
    return allowlist;
  }

  @Override
  public String toString() {
    return "SerializerSet" + byName.keySet();
  }
}
