package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.cluster.LoadBalancer;
import io.courier.cluster.Provider;
import io.courier.common.Endpoint;
import io.courier.transport.ClientTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * What every {@link ClusterStrategy} does the same way: picking a provider (leaving out ejected ones) and starting an
 * attempt on it, as a {@link Invocation#newAttempt() child invocation} whose outcome goes into the endpoint's health
 * and the service's retry budget. One per client.
 */
final class Attempts {

  private final ClientTransport transport;
  private final LongSupplier clock;
  private final OutlierDetection outliers;

  Attempts(ClientTransport transport, LongSupplier clock, OutlierDetection outliers) {
    this.transport = transport;
    this.clock = clock;
    this.outliers = outliers;
  }

  long now() {
    return clock.getAsLong();
  }

  OutlierDetection outliers() {
    return outliers;
  }

  /** Starts an attempt of {@code invocation} on {@code provider}; {@code listener} may be {@code null}. */
  Attempt start(ProviderEntry provider, Invocation invocation, RetryBudget budget, Attempt.Listener listener) {
    Invocation attempt = invocation.newAttempt();
    provider.health().started();
    Attempt result = new Attempt(this, provider, attempt, budget, listener, clock.getAsLong());
    CompletableFuture<Object> sent;
    try {
      sent = transport.call(provider.endpoint(), attempt);
      if (sent == null) {
        throw new IllegalStateException("transport returned a null future");
      }
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    if (sent.isDone()) { // answered or failed at once: no callback to register
      Object value = null;
      Throwable error = null;
      try {
        value = sent.join();
      } catch (CompletionException | CancellationException e) {
        error = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      }
      result.accept(value, error);
    } else {
      sent.whenComplete(result);
    }
    return result;
  }

  /** The first pick of a call: among available providers, or among all when every one is ejected (panic). */
  ProviderEntry pickFirst(LoadBalancer balancer, List<Provider> providers, Invocation invocation) {
    ProviderEntry chosen = pick(balancer, providers, invocation, List.of());
    return chosen != null ? chosen : checked(balancer, providers, balancer.pick(providers, invocation));
  }

  /** A pick among available providers not in {@code exclude}, or {@code null} if there is none. */
  ProviderEntry pick(LoadBalancer balancer, List<Provider> providers, Invocation invocation, List<Endpoint> exclude) {
    long now = clock.getAsLong();
    List<Provider> candidates = providers;
    for (int i = 0; i < providers.size(); i++) {
      ProviderEntry p = (ProviderEntry) providers.get(i);
      if (!p.health().isAvailable(now) || exclude.contains(p.endpoint())) {
        candidates = new ArrayList<>(providers.size());
        for (Provider candidate : providers) {
          ProviderEntry e = (ProviderEntry) candidate;
          if (e.health().isAvailable(now) && !exclude.contains(e.endpoint())) {
            candidates.add(e);
          }
        }
        break;
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    return checked(balancer, candidates, balancer.pick(candidates, invocation));
  }

  private static ProviderEntry checked(LoadBalancer balancer, List<Provider> candidates, Provider chosen) {
    for (Provider p : candidates) {
      if (p == chosen) {
        return (ProviderEntry) p;
      }
    }
    throw new IllegalStateException("load balancer " + balancer.getClass().getName() + " returned " + chosen
        + ", which is not one of the providers it was given " + candidates);
  }
}
