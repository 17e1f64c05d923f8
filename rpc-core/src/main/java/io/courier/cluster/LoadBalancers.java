package io.courier.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The built-in load balancer names, and lookup of every {@link LoadBalancerFactory} on the class path.
 *
 * <pre>{@code
 * UserService users = client.create(UserService.class,
 *     CallOptions.DEFAULT.with(ClusterOptions.LOAD_BALANCER, LoadBalancers.LEAST_ACTIVE));
 * }</pre>
 */
public final class LoadBalancers {

  /** Random, in proportion to the providers' weights. */
  public static final String RANDOM = "random";
  /** Smooth weighted round-robin (nginx's algorithm): weights respected in every window, no bursts. */
  public static final String ROUND_ROBIN = "round-robin";
  /** The provider with the fewest calls in flight; ties broken at random by weight. */
  public static final String LEAST_ACTIVE = "least-active";
  /**
   * Power of two choices: two providers at random, then a draw between them weighted by the inverse of their cost,
   * latency average times (calls in flight + 1); a provider whose calls pile up loses outright. Even over identical
   * providers at any load, and adapts to slow ones without a central view. The default.
   */
  public static final String P2C = "p2c";
  /**
   * Consistent hashing with virtual nodes: calls with the same key reach the same provider while it is there, and a
   * provider joining or leaving moves only about 1/N of the keys. The key is an argument or a header; see
   * {@link LoadBalance#hashArgument()} and {@link ClusterOptions#HASH_ARGUMENT}.
   */
  public static final String CONSISTENT_HASH = "consistent-hash";
  /** What calls use when nothing else is chosen. */
  public static final String DEFAULT = P2C;

  private LoadBalancers() {}

  /**
   * The factory called {@code name}.
   *
   * @throws IllegalArgumentException naming the available balancers
   */
  public static LoadBalancerFactory find(String name) {
    Map<String, LoadBalancerFactory> all = available();
    LoadBalancerFactory factory = all.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown load balancer '" + name + "' (available: "
          + String.join(", ", all.keySet()) + ")");
    }
    return factory;
  }

  /** Every factory on the class path, by name. */
  public static Map<String, LoadBalancerFactory> available() {
    Map<String, LoadBalancerFactory> byName = new LinkedHashMap<>();
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(LoadBalancers.class.getClassLoader());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != LoadBalancers.class.getClassLoader()) {
      loaders.add(context);
    }
    for (ClassLoader loader : loaders) {
      for (LoadBalancerFactory factory : ServiceLoader.load(LoadBalancerFactory.class, loader)) {
        byName.putIfAbsent(factory.name(), factory);
      }
    }
    return byName;
  }
}
