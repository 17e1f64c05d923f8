package io.courier.internal.cluster;

import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.LoadBalancer;
import io.courier.cluster.Provider;
import io.courier.common.Endpoint;
import io.courier.common.MethodDescriptor;
import io.courier.transport.ConnectionLostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ClusterMode#FAILOVER}: sequential attempts on different providers, up to {@link CallPlan#attempts()}, while
 * the rules ({@link Failures#retry}, idempotency), the retry budget and the deadline allow. A failure that is not
 * retried says why.
 */
final class Failover implements ClusterStrategy {

  static final Failover INSTANCE = new Failover();

  private Failover() {}

  @Override
  public CompletableFuture<Object> run(Invocation invocation, CallPlan plan, List<Provider> providers,
      Attempts attempts) {
    return new Call(invocation, plan.balancer(), providers, plan.budget(), plan.attempts(), attempts).start();
  }

  /**
   * One failover call; is the call's future. The list of providers tried is made only when a second attempt is.
   */
  private static final class Call extends CompletableFuture<Object> implements Attempt.Listener {
    private final Invocation invocation;
    private final LoadBalancer balancer;
    private final List<Provider> providers;
    private final RetryBudget budget;
    private final int maxAttempts;
    private final Attempts attempts;
    private final Call result = this;
    private Endpoint firstTried; // written before each attempt starts, read when it ends
    private List<Endpoint> tried; // null until a retry

    Call(Invocation invocation, LoadBalancer balancer, List<Provider> providers, RetryBudget budget, int maxAttempts,
        Attempts attempts) {
      this.invocation = invocation;
      this.balancer = balancer;
      this.providers = providers;
      this.budget = budget;
      this.maxAttempts = maxAttempts;
      this.attempts = attempts;
    }

    CompletableFuture<Object> start() {
      try {
        attempt(attempts.pickFirst(balancer, providers, invocation));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
      return result;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }

    private void attempt(ProviderEntry provider) {
      if (firstTried == null) {
        firstTried = provider.endpoint();
      } else {
        if (tried == null) {
          tried = new ArrayList<>(Math.min(maxAttempts, 8));
          tried.add(firstTried);
        }
        tried.add(provider.endpoint());
      }
      attempts.start(provider, invocation, budget, this);
    }

    private List<Endpoint> tried() {
      return tried != null ? tried : List.of(firstTried);
    }

    @Override
    public void attemptDone(Object value, Throwable error) {
      if (error == null) {
        result.complete(value);
      } else {
        try {
          failed(error);
        } catch (RuntimeException e) {
          e.addSuppressed(error);
          result.completeExceptionally(e);
        }
      }
    }

    private void failed(Throwable error) {
      Failures.Retry retry = Failures.retry(error);
      MethodDescriptor method = invocation.method();
      if (retry == Failures.Retry.NEVER || invocation.isCancelled()) {
        result.completeExceptionally(error);
        return;
      }
      if (retry == Failures.Retry.IF_IDEMPOTENT && InternalInvocation.stream(invocation) != null) {
        // A stream may already have delivered messages to its listener: only a stream that never started is
        // sent elsewhere, whatever the method's idempotency.
        result.completeExceptionally(error);
        return;
      }
      if (retry == Failures.Retry.IF_IDEMPOTENT && !method.isIdempotent()) {
        // Say why only where a retry could be expected: a dropped connection. INTERNAL and the like are as they came.
        result.completeExceptionally(!ConnectionLostException.isCauseOf(error) ? error
            : Failures.annotate(error, "not retried: the connection was lost with the request in flight, so it may"
                + " have run, and " + method.fullName() + " is not @Idempotent"));
        return;
      }
      List<Endpoint> tried = tried();
      if (tried.size() >= maxAttempts) {
        result.completeExceptionally(maxAttempts == 1 ? error
            : Failures.annotate(error, "failed on all " + tried.size() + " attempts: " + tried));
        return;
      }
      if (invocation.deadline() != null && invocation.deadline().isExpired()) {
        result.completeExceptionally(Failures.annotate(error, "not retried: the deadline has passed"));
        return;
      }
      if (!budget.allowRetry()) {
        result.completeExceptionally(Failures.annotate(error, "not retried: the retry budget of " + method.service()
            + " is spent by recent failures; see RpcClient.Builder.retryBudget"));
        return;
      }
      ProviderEntry next = attempts.pick(balancer, providers, invocation, tried);
      if (next == null) {
        next = attempts.pick(balancer, providers, invocation, List.of());
      }
      if (next == null) {
        result.completeExceptionally(Failures.annotate(error, "not retried: no other provider is available; tried "
            + tried));
        return;
      }
      attempt(next);
    }
  }
}
