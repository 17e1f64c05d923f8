package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.Provider;
import io.courier.common.Endpoint;
import io.courier.common.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ClusterMode#FORKING}: the call goes to up to {@link CallPlan#forks()} different providers at once (each one
 * past the first only while the retry budget allows); the first answer — a value, or a failure that is the service's
 * answer — wins and the other attempts are cancelled. It fails only when every fork has failed.
 */
final class Forking implements ClusterStrategy {

  static final Forking INSTANCE = new Forking();

  private Forking() {}

  @Override
  public CompletableFuture<Object> run(Invocation invocation, CallPlan plan, List<Provider> providers,
      Attempts attempts) {
    int forks = plan.forks();
    List<Endpoint> chosen = new ArrayList<>(forks);
    List<ProviderEntry> targets = new ArrayList<>(forks);
    ProviderEntry first = attempts.pickFirst(plan.balancer(), providers, invocation);
    targets.add(first);
    chosen.add(first.endpoint());
    while (targets.size() < forks && plan.budget().allowRetry()) {
      ProviderEntry next = attempts.pick(plan.balancer(), providers, invocation, chosen);
      if (next == null) {
        break;
      }
      targets.add(next);
      chosen.add(next.endpoint());
    }
    CompletableFuture<Object> result = new CompletableFuture<>();
    List<Attempt> started = new ArrayList<>(targets.size());
    AtomicInteger pending = new AtomicInteger(targets.size());
    for (ProviderEntry target : targets) {
      started.add(attempts.start(target, invocation, plan.budget(), null));
    }
    for (Attempt attempt : started) {
      attempt.whenComplete((value, error) -> {
        boolean won = error == null ? result.complete(value)
            : Failures.isAnswer(error) && result.completeExceptionally(error);
        if (won) {
          Status lost = Status.CANCELLED.withDescription("another provider answered " + invocation.method().fullName()
              + " first");
          for (Attempt other : started) {
            if (other != attempt) {
              other.invocation().cancel(lost);
            }
          }
        }
        if (pending.decrementAndGet() == 0 && !result.isDone()) {
          result.completeExceptionally(started.size() == 1 ? error
              : Failures.annotate(error, "all " + started.size() + " forks failed: " + chosen));
        }
      });
    }
    return result;
  }
}
