package io.courier.transport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds {@link TransportFactory} implementations on the class path by name. */
public final class Transports {

  private Transports() {}

  /**
   * The factory called {@code name}.
   *
   * @throws IllegalArgumentException naming the available transports and the module to add
   */
  public static TransportFactory find(String name) {
    Map<String, TransportFactory> all = available();
    TransportFactory factory = all.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown transport '" + name + "' (available: "
          + (all.isEmpty() ? "none" : String.join(", ", all.keySet()))
          + "; add io.courier:courier-transport-" + name + " to the class path if it is a Courier transport)");
    }
    return factory;
  }

  /** Every factory on the class path, by name. */
  public static Map<String, TransportFactory> available() {
    Map<String, TransportFactory> byName = new LinkedHashMap<>();
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(Transports.class.getClassLoader());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != Transports.class.getClassLoader()) {
      loaders.add(context);
    }
    for (ClassLoader loader : loaders) {
      for (TransportFactory factory : ServiceLoader.load(TransportFactory.class, loader)) {
        byName.putIfAbsent(factory.name(), factory);
      }
    }
    return byName;
  }
}
