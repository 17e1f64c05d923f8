package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.cluster.Provider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundRobinLoadBalancerTest {

  private final RoundRobinLoadBalancer balancer = new RoundRobinLoadBalancer();

  @Test
  void smoothSequenceIsNginxs() {
    List<Provider> providers = List.of(new FakeProvider("a", 5), new FakeProvider("b", 1), new FakeProvider("c", 1));
    assertThat(picks(providers, 14)).containsExactly("a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a",
        "a");
  }

  @Test
  void everyWindowOfTotalWeightPicksHoldsExactShares() {
    List<Provider> providers = List.of(new FakeProvider("a", 300), new FakeProvider("b", 200),
        new FakeProvider("c", 100));
    List<String> all = picks(providers, 600 * 5);
    for (int window = 0; window < 5; window++) {
      Map<String, Integer> counts = new HashMap<>();
      all.subList(window * 600, (window + 1) * 600).forEach(p -> counts.merge(p, 1, Integer::sum));
      assertThat(counts).containsEntry("a", 300).containsEntry("b", 200).containsEntry("c", 100);
    }
  }

  @Test
  void equalWeightsAlternate() {
    List<Provider> providers = List.of(new FakeProvider("a", 100), new FakeProvider("b", 100));
    assertThat(picks(providers, 6)).containsExactly("a", "b", "a", "b", "a", "b");
  }

  @Test
  void aProviderThatJoinsGetsItsShare() {
    FakeProvider a = new FakeProvider("a", 100);
    FakeProvider b = new FakeProvider("b", 100);
    picks(List.of(a, b), 5);
    List<String> after = picks(List.of(a, b, new FakeProvider("c", 200)), 400);
    assertThat(after.stream().filter("c"::equals).count()).isEqualTo(200);
  }

  @Test
  void aProviderInSlowStartWeighsItsWeightTimesItsFactor() {
    FakeProvider a = new FakeProvider("a", 100);
    FakeProvider b = new FakeProvider("b", 100);
    FakeProvider fresh = new FakeProvider("fresh", 100);
    fresh.slowStart = 0.25;
    List<String> all = picks(List.of(a, b, fresh), 225 * 4);
    for (int window = 0; window < 4; window++) {
      Map<String, Integer> counts = new HashMap<>();
      all.subList(window * 225, (window + 1) * 225).forEach(p -> counts.merge(p, 1, Integer::sum));
      assertThat(counts).containsEntry("a", 100).containsEntry("b", 100).containsEntry("fresh", 25);
    }
    fresh.slowStart = 1; // the window is over: a third each from now on
    List<String> after = picks(List.of(a, b, fresh), 300);
    assertThat(after.stream().filter("fresh"::equals).count()).isBetween(99L, 101L);
  }

  private List<String> picks(List<Provider> providers, int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(balancer.pick(providers, FakeProvider.call("u")).endpoint().host());
    }
    return names;
  }
}
