package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.courier.cluster.Provider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeastActiveLoadBalancerTest {

  private final Random random = new Random(7);
  private final LeastActiveLoadBalancer balancer = new LeastActiveLoadBalancer(() -> random);

  @Test
  void choosesTheProviderWithFewestCallsInFlight() {
    FakeProvider busy = new FakeProvider("busy", 100);
    FakeProvider idle = new FakeProvider("idle", 100);
    FakeProvider some = new FakeProvider("some", 100);
    busy.inFlight = 9;
    some.inFlight = 2;
    for (int i = 0; i < 1000; i++) {
      assertThat(balancer.pick(List.of(busy, idle, some), FakeProvider.call("u"))).isSameAs(idle);
    }
  }

  @Test
  void tiesAreBrokenByWeight() {
    FakeProvider light = new FakeProvider("light", 100);
    FakeProvider heavy = new FakeProvider("heavy", 300);
    FakeProvider busy = new FakeProvider("busy", 1000);
    busy.inFlight = 1;
    int heavyPicks = 0;
    for (int i = 0; i < 40_000; i++) {
      Provider p = balancer.pick(List.of(light, heavy, busy), FakeProvider.call("u"));
      assertThat(p).isNotSameAs(busy);
      heavyPicks += p == heavy ? 1 : 0;
    }
    assertThat(heavyPicks / 40_000.0).isCloseTo(0.75, within(0.02));
  }

  @Test
  void aProviderInSlowStartTakesPartInAPickOnlyAsOftenAsItsFactor() {
    FakeProvider a = new FakeProvider("a", 100);
    FakeProvider b = new FakeProvider("b", 100);
    FakeProvider fresh = new FakeProvider("fresh", 100);
    a.inFlight = 4;
    b.inFlight = 4; // the new one has none: without slow start it would get every call
    fresh.slowStart = 0.2;
    int freshPicks = 0;
    for (int i = 0; i < 40_000; i++) {
      freshPicks += balancer.pick(List.of(a, b, fresh), FakeProvider.call("u")) == fresh ? 1 : 0;
    }
    assertThat(freshPicks / 40_000.0).isCloseTo(0.2, within(0.01));
    a.inFlight = b.inFlight = 0; // all idle: a fifth of its third
    freshPicks = 0;
    for (int i = 0; i < 60_000; i++) {
      freshPicks += balancer.pick(List.of(a, b, fresh), FakeProvider.call("u")) == fresh ? 1 : 0;
    }
    assertThat(freshPicks / 60_000.0).isCloseTo(0.2 / 3, within(0.01));
  }

  @Test
  void steersAwayFromASlowProvider() {
    Map<FakeProvider, Integer> latency = new LinkedHashMap<>();
    latency.put(new FakeProvider("fast1", 100), 2);
    latency.put(new FakeProvider("fast2", 100), 2);
    latency.put(new FakeProvider("slow", 100), 40);
    Map<String, Integer> picks = SlowProviderSimulation.run(balancer, latency, 10_000);
    // Uniform spreading would send a third to each; the slow one holds its calls 20 times longer.
    assertThat(picks.get("slow")).isLessThan(10_000 / 10);
    assertThat(picks.get("fast1") + picks.get("fast2")).isGreaterThan(9_000);
  }
}
