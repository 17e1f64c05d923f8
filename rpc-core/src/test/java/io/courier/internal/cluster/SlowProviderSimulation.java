package io.courier.internal.cluster;

import io.courier.cluster.LoadBalancer;
import io.courier.cluster.Provider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A deterministic run of a balancer against fake providers, in ticks instead of time: every tick starts one call on
 * the provider the balancer picks, and a call on a provider of latency L finishes L ticks later. The fake's
 * latency average is its latency once it has answered, as a real EWMA would be. No clock, no threads.
 */
final class SlowProviderSimulation {

  private record Completion(long tick, FakeProvider provider) {}

  static Map<String, Integer> run(LoadBalancer balancer, Map<FakeProvider, Integer> latencyTicks, int calls) {
    List<Provider> providers = new ArrayList<>(latencyTicks.keySet());
    PriorityQueue<Completion> running = new PriorityQueue<>((a, b) -> Long.compare(a.tick(), b.tick()));
    Map<String, Integer> picks = new HashMap<>();
    for (long tick = 0; tick < calls; tick++) {
      while (!running.isEmpty() && running.peek().tick() <= tick) {
        Completion done = running.poll();
        done.provider().inFlight--;
        done.provider().latencyNanos = latencyTicks.get(done.provider()) * 1_000_000L;
      }
      FakeProvider chosen = (FakeProvider) balancer.pick(providers, FakeProvider.call("u" + tick));
      chosen.inFlight++;
      picks.merge(chosen.endpoint().host(), 1, Integer::sum);
      running.add(new Completion(tick + latencyTicks.get(chosen), chosen));
    }
    return picks;
  }

  private SlowProviderSimulation() {}
}
