package io.courier.internal.cluster;

import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.Provider;
import io.courier.common.Status;
import io.courier.transport.ClientTransport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The end of the client chain: takes the providers of the call's {@link CallPlan#key() service key} from the
 * directory and runs the call in its plan's mode — failover, failfast, failsafe, forking or broadcast (see
 * {@link ClusterMode} and the {@link ClusterStrategy} classes) — within the call's one deadline. The plan was
 * resolved when the stub was made; options an interceptor changed for one call (a load balancer, a mode, attempts,
 * forks, a version or group) are resolved again for that call, so they still win. Every attempt is a
 * {@link Invocation#newAttempt() child invocation} (see {@link Attempts}).
 */
public final class ClusterInvoker {

  private final ProviderDirectory directory;
  private final CallPlanner planner;
  private final Attempts attempts;

  public ClusterInvoker(ProviderDirectory directory, ClientTransport transport, CallPlanner planner,
      ClusterSettings settings, LongSupplier clock) {
    this.directory = directory;
    this.planner = planner;
    this.attempts = new Attempts(transport, clock, settings.outliers());
  }

  /** Runs one call; never throws, failures complete the future. */
  public CompletableFuture<Object> invoke(Invocation invocation) {
    CallPlan plan = InternalInvocation.plan(invocation);
    try {
      if (plan == null || !plan.appliesTo(invocation.options())) {
        plan = planner.plan(invocation.method(), invocation.options(), invocation.serializer());
      }
      List<Provider> providers = directory.providers(plan.key());
      if (providers.isEmpty()) {
        return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("no provider of " + plan.key()
            + " is known (" + directory.explain(plan.key()) + ")").asException());
      }
      return plan.strategy().run(invocation, plan, providers, attempts);
    } catch (RuntimeException e) { // a balancer that failed its pick, an unknown balancer set by an interceptor
      return CompletableFuture.failedFuture(e);
    }
  }
}
