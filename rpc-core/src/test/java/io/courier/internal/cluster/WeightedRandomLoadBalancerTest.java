package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.courier.cluster.Provider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedRandomLoadBalancerTest {

  private final Random random = new Random(42);
  private final WeightedRandomLoadBalancer balancer = new WeightedRandomLoadBalancer(() -> random);

  @Test
  void sharesFollowWeights() {
    FakeProvider a = new FakeProvider("a", 100);
    FakeProvider b = new FakeProvider("b", 200);
    FakeProvider c = new FakeProvider("c", 700);
    Map<Provider, Double> shares = shares(List.of(a, b, c), 100_000);
    assertThat(shares.get(a)).isCloseTo(0.1, within(0.01));
    assertThat(shares.get(b)).isCloseTo(0.2, within(0.01));
    assertThat(shares.get(c)).isCloseTo(0.7, within(0.01));
  }

  @Test
  void equalWeightsAreUniform() {
    List<Provider> four = List.of(new FakeProvider("a", 100), new FakeProvider("b", 100),
        new FakeProvider("c", 100), new FakeProvider("d", 100));
    shares(four, 100_000).values().forEach(share -> assertThat(share).isCloseTo(0.25, within(0.01)));
  }

  @Test
  void aProviderInSlowStartWeighsItsWeightTimesItsFactor() {
    FakeProvider a = new FakeProvider("a", 100);
    FakeProvider b = new FakeProvider("b", 300);
    FakeProvider fresh = new FakeProvider("fresh", 100);
    fresh.slowStart = 0.5;
    Map<Provider, Double> shares = shares(List.of(a, b, fresh), 100_000);
    assertThat(shares.get(fresh)).isCloseTo(50 / 450.0, within(0.01));
    assertThat(shares.get(b)).isCloseTo(300 / 450.0, within(0.01));
    b.weight = 100;
    fresh.slowStart = 0.1;
    assertThat(shares(List.of(a, b, fresh), 100_000).get(fresh)).as("equal weights, one of them ramping")
        .isCloseTo(10 / 210.0, within(0.01));
  }

  @Test
  void aSingleProviderIsAlwaysChosen() {
    FakeProvider only = new FakeProvider("only", 3);
    assertThat(balancer.pick(List.of(only), FakeProvider.call("u"))).isSameAs(only);
  }

  private Map<Provider, Double> shares(List<Provider> providers, int picks) {
    Map<Provider, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(balancer.pick(providers, FakeProvider.call("u")), 1, Integer::sum);
    }
    Map<Provider, Double> shares = new HashMap<>();
    counts.forEach((p, n) -> shares.put(p, n / (double) picks));
    return shares;
  }
}
