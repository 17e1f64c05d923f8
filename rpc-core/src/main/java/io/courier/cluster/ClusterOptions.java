package io.courier.cluster;

import io.courier.common.CallOptions;

/**
 * Call options of the cluster layer: balancer, fault-tolerance mode and their settings for one service's stub.
 * They win over {@link LoadBalance} and {@link ClusterPolicy} annotations, which win over the client's defaults (the
 * same order as timeouts).
 *
 * <pre>{@code
 * Inventory inventory = client.create(Inventory.class, CallOptions.DEFAULT
 *     .with(ClusterOptions.LOAD_BALANCER, LoadBalancers.CONSISTENT_HASH)
 *     .with(ClusterOptions.HASH_ARGUMENT, 0)
 *     .with(ClusterOptions.MODE, ClusterMode.FAILOVER)
 *     .with(ClusterOptions.MAX_ATTEMPTS, 2));
 * }</pre>
 */
public final class ClusterOptions {

  private ClusterOptions() {}

  /** The load balancer by name; see {@link LoadBalancers}. */
  public static final CallOptions.Key<String> LOAD_BALANCER = CallOptions.Key.of("courier.loadBalancer", null);

  /** The fault-tolerance mode. */
  public static final CallOptions.Key<ClusterMode> MODE = CallOptions.Key.of("courier.clusterMode", null);

  /** {@link ClusterMode#FAILOVER}: attempts in all, the first included; at least 1, default 3. */
  public static final CallOptions.Key<Integer> MAX_ATTEMPTS = CallOptions.Key.of("courier.maxAttempts", null);

  /** {@link ClusterMode#FORKING}: providers called at once; at least 1, default 2. */
  public static final CallOptions.Key<Integer> FORKS = CallOptions.Key.of("courier.forks", null);

  /**
   * Which providers the stub's calls go to: those registered with this version instead of the {@code @RpcService}'s
   * (a provider registered with version {@code *} serves every version). Set it when the stub is created; it takes
   * effect with a registry, while a fixed address list serves every version.
   *
   * <pre>{@code
   * Greeter canary = client.create(Greeter.class, CallOptions.DEFAULT.with(ClusterOptions.VERSION, "2.0-canary"));
   * }</pre>
   */
  public static final CallOptions.Key<String> VERSION = CallOptions.Key.of("courier.version", null);

  /** Like {@link #VERSION}, for the group: the stub's calls go to providers registered in this group. */
  public static final CallOptions.Key<String> GROUP = CallOptions.Key.of("courier.group", null);

  /** {@link LoadBalancers#CONSISTENT_HASH}: the index of the argument whose value is the key. */
  public static final CallOptions.Key<Integer> HASH_ARGUMENT = CallOptions.Key.of("courier.hashArgument", null);

  /**
   * {@link LoadBalancers#CONSISTENT_HASH}: the request header whose value is the key (wins over
   * {@link #HASH_ARGUMENT}).
   */
  public static final CallOptions.Key<String> HASH_HEADER = CallOptions.Key.of("courier.hashHeader", null);
}
