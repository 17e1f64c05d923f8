package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.cluster.Provider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesLoadBalancerTest {

  private final Random random = new Random(11);
  private final PowerOfTwoChoicesLoadBalancer balancer = new PowerOfTwoChoicesLoadBalancer(() -> random);

  @Test
  void ofTwoTheCheaperAlwaysWins() {
    FakeProvider slow = new FakeProvider("slow", 100);
    FakeProvider fast = new FakeProvider("fast", 100);
    slow.latencyNanos = 50_000_000;
    fast.latencyNanos = 5_000_000;
    fast.inFlight = 3; // 5 ms x 4 = 20 ms, still cheaper than 50 ms x 1
    for (int i = 0; i < 1000; i++) {
      assertThat(balancer.pick(List.of(slow, fast), FakeProvider.call("u"))).isSameAs(fast);
    }
  }

  @Test
  void aProviderWithCallsInFlightAndNoAnswerYetCostsAPenalty() {
    FakeProvider hung = new FakeProvider("hung", 100);
    FakeProvider known = new FakeProvider("known", 100);
    hung.inFlight = 1;
    known.latencyNanos = 1_000_000_000; // a whole second, still better than nothing back at all
    known.inFlight = 10;
    assertThat(PowerOfTwoChoicesLoadBalancer.cost(hung)).isGreaterThan(PowerOfTwoChoicesLoadBalancer.cost(known));
    FakeProvider fresh = new FakeProvider("fresh", 100);
    assertThat(PowerOfTwoChoicesLoadBalancer.cost(fresh)).isZero(); // new providers get tried
  }

  @Test
  void neverPicksTheWorseOfThreeWhenTheOtherTwoAreEqual() {
    FakeProvider a = new FakeProvider("a", 100);
    FakeProvider b = new FakeProvider("b", 100);
    FakeProvider worst = new FakeProvider("worst", 100);
    a.latencyNanos = b.latencyNanos = 1_000_000;
    worst.latencyNanos = 9_000_000;
    int aPicks = 0;
    for (int i = 0; i < 30_000; i++) {
      Provider p = balancer.pick(List.of(a, worst, b), FakeProvider.call("u"));
      assertThat(p).isNotSameAs(worst);
      aPicks += p == a ? 1 : 0;
    }
    assertThat(aPicks).isBetween(14_000, 16_000);
  }

  @Test
  void steersAwayFromASlowProvider() {
    Map<FakeProvider, Integer> latency = new LinkedHashMap<>();
    latency.put(new FakeProvider("fast1", 100), 2);
    latency.put(new FakeProvider("fast2", 100), 2);
    latency.put(new FakeProvider("fast3", 100), 2);
    latency.put(new FakeProvider("slow", 100), 40);
    Map<String, Integer> picks = SlowProviderSimulation.run(balancer, latency, 10_000);
    assertThat(picks.get("slow")).isLessThan(10_000 / 20); // uniform would be a quarter
  }
}
