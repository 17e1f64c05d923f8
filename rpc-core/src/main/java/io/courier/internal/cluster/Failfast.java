package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.Provider;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link ClusterMode#FAILFAST}: one attempt, on the provider the balancer picks; its failure is the call's. */
final class Failfast implements ClusterStrategy {

  static final Failfast INSTANCE = new Failfast();

  private Failfast() {}

  @Override
  public CompletableFuture<Object> run(Invocation invocation, CallPlan plan, List<Provider> providers,
      Attempts attempts) {
    return attempts.start(attempts.pickFirst(plan.balancer(), providers, invocation), invocation, plan.budget(), null);
  }
}
