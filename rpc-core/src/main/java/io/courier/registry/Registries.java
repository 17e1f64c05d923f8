package io.courier.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Connects to a registry named by an address string, choosing the implementation by the scheme.
 *
 * <pre>{@code
 * Registry zk = Registries.connect("zookeeper://10.0.0.2:2181,10.0.0.3:2181/courier?connectTimeout=5s");
 * Registry fixed = Registries.connect("static://10.0.0.7:7070,10.0.0.8:7070");
 * Registry demo = Registries.connect("embedded"); // starts a ZooKeeper inside this JVM
 * }</pre>
 *
 * <p>The schemes {@code zookeeper}, {@code static} and {@code embedded} come with
 * {@code io.courier:courier-registry}; others with the module that provides them.
 */
public final class Registries {

  private Registries() {}

  /**
   * A connected registry; the caller owns it and must close it.
   *
   * @throws IllegalArgumentException if the address is malformed or its scheme unknown; the message names the
   *     available schemes and the module to add
   * @throws RegistryException if the backend cannot be reached within the connect timeout
   */
  public static Registry connect(String address) {
    RegistryAddress parsed = RegistryAddress.parse(address);
    Map<String, RegistryFactory> all = available();
    RegistryFactory factory = all.get(parsed.scheme());
    if (factory == null) {
      throw new IllegalArgumentException("unknown registry scheme '" + parsed.scheme() + "' in '" + address
          + "' (available: " + (all.isEmpty() ? "none" : String.join(", ", all.keySet()))
          + "; add io.courier:courier-registry to the class path for zookeeper://, static:// and embedded, or the"
          + " module that provides '" + parsed.scheme() + "')");
    }
    return factory.create(parsed);
  }

  /** Every factory on the class path, by scheme. */
  public static Map<String, RegistryFactory> available() {
    Map<String, RegistryFactory> byScheme = new LinkedHashMap<>();
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(Registries.class.getClassLoader());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != Registries.class.getClassLoader()) {
      loaders.add(context);
    }
    for (ClassLoader loader : loaders) {
      for (RegistryFactory factory : ServiceLoader.load(RegistryFactory.class, loader)) {
        byScheme.putIfAbsent(factory.scheme(), factory);
      }
    }
    return byScheme;
  }
}
