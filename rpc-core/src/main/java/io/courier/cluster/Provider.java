package io.courier.cluster;

import io.courier.common.Endpoint;
import java.util.Map;

/**
 * One provider of a service as a {@link LoadBalancer} sees it: where it is, its weight and labels from discovery,
 * and what this client has measured about it. The cluster layer implements it and keeps the numbers current;
 * balancers only read them.
 */
public interface Provider {

  /** Where calls go. */
  Endpoint endpoint();

  /** The registered weight (100 unless the provider set another); addresses without a registry weigh 100. */
  int weight();

  /** Free-form labels the provider registered; empty without a registry. */
  Map<String, String> metadata();

  /** Calls this client has started to this endpoint and not yet seen finish. */
  int inFlight();

  /**
   * A moving average of this endpoint's latency in nanoseconds, over about the last 10 s: each answer weighs in by
   * the time since the one before, so a single slow answer among many fast ones moves it little, while an answer
   * after a long silence all but replaces it. It decays while no call completes (so an idle, once-slow provider is
   * tried again). The first call to an endpoint, which also connects, is not counted. 0 if unknown, never 0 after
   * the first counted answer.
   */
  long latencyNanos();

  /**
   * Where this provider is in its slow start: from the floor (0.1 by default) when it joined a service this client
   * already called — new, or registered again after a restart — rising linearly to 1 at the end of the window
   * ({@code RpcClient.Builder.slowStart}); 1 when slow start is off or over, and for the providers of a service's
   * first list. The built-in balancers but consistent hashing scale the provider's share of calls by it; a
   * balancer of your own may too.
   */
  default double slowStartFactor() {
    return 1;
  }

  /** Failures in a row (unreachable, connection lost, internal errors); 0 after a success. */
  int consecutiveFailures();
}
