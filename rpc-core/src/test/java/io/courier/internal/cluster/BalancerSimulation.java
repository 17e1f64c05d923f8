package io.courier.internal.cluster;

import io.courier.cluster.LoadBalancer;
import io.courier.cluster.Provider;
import io.courier.common.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic run of a balancer over the cluster layer's own provider entries — {@link EndpointHealth}'s latency
 * average, calls in flight and slow start — on a fake clock: calls start and finish as events in time order, each
 * provider's latency is drawn from a seeded random source, and there are no threads and no sleeps. What the
 * invoker does around a pick is done here the same way: {@code started()} before the call, {@code finished(...)}
 * with the elapsed fake time after it.
 */
final class BalancerSimulation {

  static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** A provider's latency for one call, in nanoseconds. */
  @FunctionalInterface
  interface Latency {
    long nanos(SplittableRandom random);

    /** Healthy and identical: about {@code medianMs}, log-normally spread (sigma 0.3). */
    static Latency typical(double medianMs) {
      return r -> (long) (medianMs * MS * Math.exp(0.3 * gaussian(r)));
    }

    /** {@link #typical} with a pause of 5 to 50 ms once in {@code every} calls (a GC, a descheduled thread). */
    static Latency withHiccups(double medianMs, int every) {
      Latency typical = typical(medianMs);
      return r -> r.nextInt(every) == 0 ? r.nextLong(5 * MS, 50 * MS) : typical.nanos(r);
    }

    private static double gaussian(SplittableRandom r) {
      double u = 1 - r.nextDouble(); // (0, 1]
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
  }

  private record Event(long at, long seq, Runnable action) {}

  private final LoadBalancer balancer;
  private final SplittableRandom random;
  private final HealthTable health;
  private final OutlierDetection outliers = OutlierDetection.DEFAULT;
  private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at() != b.at()
      ? Long.compare(a.at(), b.at()) : Long.compare(a.seq(), b.seq()));
  private final Map<Endpoint, Latency> latencies = new LinkedHashMap<>();
  private final Map<String, Integer> picks = new LinkedHashMap<>();
  private List<Provider> providers = List.of();
  private long now = 1_000 * SECOND;
  private long seq;
  private boolean calling; // a call was made: providers added from now on join a service in use

  BalancerSimulation(LoadBalancer balancer, long seed) {
    this(balancer, seed, SlowStart.OFF);
  }

  BalancerSimulation(LoadBalancer balancer, long seed, SlowStart slowStart) {
    this.balancer = balancer;
    this.random = new SplittableRandom(seed);
    this.health = new HealthTable(slowStart, () -> now);
  }

  long now() {
    return now;
  }

  /**
   * Adds a provider now (the directory lists it from now on). Providers added before the first call are the
   * service's first list: slow start leaves them be.
   */
  BalancerSimulation provider(String host, Latency latency) {
    Endpoint endpoint = new Endpoint(host, 7070);
    latencies.put(endpoint, latency);
    picks.putIfAbsent(host, 0);
    List<Provider> next = new ArrayList<>(providers);
    next.add(new ProviderEntry(endpoint, 100, Map.of(), health.get(endpoint, !calling), () -> now));
    providers = List.copyOf(next);
    return this;
  }

  /**
   * Replaces a provider with a new process on the same address, as a restart does: the directory sees a new
   * registration, so the endpoint's health starts afresh.
   */
  void restart(String host, Latency latency) {
    Endpoint endpoint = new Endpoint(host, 7070);
    latencies.put(endpoint, latency);
    health.remove(endpoint);
    List<Provider> next = new ArrayList<>(providers.size());
    for (Provider p : providers) {
      next.add(!p.endpoint().equals(endpoint) ? p
          : new ProviderEntry(endpoint, 100, Map.of(), health.get(endpoint, false), () -> now));
    }
    providers = List.copyOf(next);
  }

  /** Changes how fast a provider answers calls started from now on. */
  void latency(String host, Latency latency) {
    latencies.put(new Endpoint(host, 7070), latency);
  }

  /** One caller, each call as soon as the one before it has answered: never more than one call in flight. */
  void sequential(int calls) {
    int[] left = {calls};
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (left[0]-- > 0) {
        call(next[0]);
      }
    };
    schedule(now, next[0]);
    drain(Long.MAX_VALUE);
  }

  /** {@code callers} callers, each starting its next call when its last one answers, {@code calls} in all. */
  void concurrent(int callers, int calls) {
    int[] left = {calls};
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (left[0]-- > 0) {
        call(next[0]);
      }
    };
    for (int i = 0; i < callers; i++) {
      schedule(now, next[0]);
    }
    drain(Long.MAX_VALUE);
  }

  /** Calls arriving at {@code perSecond} (exponential gaps) for {@code nanos}, whatever is in flight; then waits. */
  void rate(int perSecond, long nanos) {
    long end = now + nanos;
    double meanGap = (double) SECOND / perSecond;
    long at = now;
    while (true) {
      at += (long) (-meanGap * Math.log(1 - random.nextDouble()));
      if (at >= end) {
        break;
      }
      schedule(at, () -> call(() -> { }));
    }
    drain(Long.MAX_VALUE);
  }

  /** Lets the fake clock run for {@code nanos} with no calls. */
  void idle(long nanos) {
    drain(now + nanos);
    now += nanos;
  }

  /** Calls each provider served since the last reset, by host. */
  Map<String, Integer> picks() {
    return new LinkedHashMap<>(picks);
  }

  /** Each provider's share of the calls since the last reset, by host. */
  Map<String, Double> shares() {
    int total = picks.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, Double> shares = new LinkedHashMap<>();
    picks.forEach((host, n) -> shares.put(host, total == 0 ? 0 : (double) n / total));
    return shares;
  }

  void resetCounts() {
    picks.replaceAll((host, n) -> 0);
  }

  private void call(Runnable then) {
    calling = true;
    ProviderEntry chosen = (ProviderEntry) balancer.pick(providers, FakeProvider.call("u"));
    picks.merge(chosen.endpoint().host(), 1, Integer::sum);
    EndpointHealth h = chosen.health();
    h.started();
    long started = now;
    long latency = Math.max(1, latencies.get(chosen.endpoint()).nanos(random));
    schedule(now + latency, () -> {
      h.finished(now, now - started, Failures.Outcome.SUCCESS, outliers);
      then.run();
    });
  }

  private void schedule(long at, Runnable action) {
    events.add(new Event(at, seq++, action));
  }

  private void drain(long until) {
    while (!events.isEmpty() && events.peek().at() <= until) {
      Event e = events.poll();
      now = Math.max(now, e.at());
      e.action().run();
    }
  }
}
