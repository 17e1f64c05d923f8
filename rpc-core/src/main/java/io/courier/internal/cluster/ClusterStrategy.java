package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.Provider;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How one {@link ClusterMode} runs a call over the providers it is given: which it tries, in what order, and what
 * the caller gets. Chosen once per method, in its {@link CallPlan}. Implementations are stateless; what one call
 * needs lives in the objects {@code run} makes.
 */
interface ClusterStrategy {

  /**
   * Runs {@code invocation} on {@code providers} (not empty) with the plan's balancer, budget, attempts and forks,
   * starting every attempt through {@code attempts}; never throws, failures complete the future.
   */
  CompletableFuture<Object> run(Invocation invocation, CallPlan plan, List<Provider> providers, Attempts attempts);

  /** The strategy of {@code mode}. */
  static ClusterStrategy of(ClusterMode mode) {
    return switch (mode) {
      case FAILOVER -> Failover.INSTANCE;
      case FAILFAST -> Failfast.INSTANCE;
      case FAILSAFE -> Failsafe.INSTANCE;
      case FORKING -> Forking.INSTANCE;
      case BROADCAST -> Broadcast.INSTANCE;
    };
  }
}
