package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.Provider;
import io.courier.common.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link ClusterMode#BROADCAST}: the call goes to every provider, ejected ones included, and waits for all; it fails
 * with the first failure, annotated with every provider that failed, else answers with the first provider's value.
 */
final class Broadcast implements ClusterStrategy {

  static final Broadcast INSTANCE = new Broadcast();

  private Broadcast() {}

  @Override
  public CompletableFuture<Object> run(Invocation invocation, CallPlan plan, List<Provider> providers,
      Attempts attempts) {
    List<Attempt> started = new ArrayList<>(providers.size());
    for (Provider p : providers) {
      started.add(attempts.start((ProviderEntry) p, invocation, plan.budget(), null));
    }
    CompletableFuture<?>[] all = new CompletableFuture<?>[started.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = started.get(i);
    }
    return CompletableFuture.allOf(all).handle((ignored, anyError) -> {
      Throwable firstError = null;
      List<String> failed = new ArrayList<>();
      for (Attempt attempt : started) {
        CompletableFuture<Object> f = attempt;
        if (f.isCompletedExceptionally()) {
          Throwable error = Status.unwrap(f.handle((v, e) -> e).join());
          failed.add(attempt.provider().endpoint() + " (" + Status.fromThrowable(error).code() + ")");
          if (firstError == null) {
            firstError = error;
          }
        }
      }
      if (firstError != null) {
        throw new CompletionException(Failures.annotate(firstError, "broadcast: "
            + failed.size() + " of " + started.size() + " providers failed: " + failed));
      }
      return started.get(0).join();
    });
  }
}
