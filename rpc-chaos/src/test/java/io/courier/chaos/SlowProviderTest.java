package io.courier.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chaos.load.AttemptLog;
import io.courier.chaos.load.LoadDriver;
import io.courier.chaos.load.LoadReport;
import io.courier.chaos.provider.Inventory;
import io.courier.chaos.provider.InventoryProvider;
import io.courier.client.RpcClient;
import io.courier.registry.zookeeper.ZooKeeperRegistry;
import io.courier.testing.Polling;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * One of three providers becomes slow under load (latency injected into every call it runs): the default balancer
 * — power of two choices on a latency average times calls in flight — moves traffic away from it, to well below its
 * fair share of 1/3, and no call fails.
 *
 * <p>The provider made slow is the one that served the most calls just before: the balancer keeps its latency
 * averages for tens of seconds, so on a loaded machine one provider can already be out of favour after an unlucky
 * pause, and slowing that one down would prove nothing.
 */
class SlowProviderTest {

  private static final int PROVIDERS = 3;
  /** "Well below 1/N": a third of its fair share. */
  private static final double SHARE_BOUND = 1.0 / PROVIDERS / 3;

  private final int rate = ChaosSettings.number("slow.rate", 500, 1000);
  private final int latencyMillis = ChaosSettings.number("slow.latencyMillis", 50, 50);
  private final Duration settle = ChaosSettings.duration("slow.settle", "1s", "5s");
  private final Duration measure = ChaosSettings.duration("slow.measure", "4s", "60s");

  @Test
  void theDefaultBalancerMovesTrafficAwayFromASlowProvider() throws Exception {
    String scenario = "slow provider (+" + latencyMillis + " ms a call)";
    try (ChaosCluster cluster = new ChaosCluster()) {
      String address = cluster.registryAddress(Duration.ofSeconds(10));
      List<InventoryProvider> providers = List.of(new InventoryProvider("p1"), new InventoryProvider("p2"),
          new InventoryProvider("p3"));
      providers.forEach(p -> cluster.provider(p, address, UnaryOperator.identity()));
      ZooKeeperRegistry registry = cluster.registry(Duration.ofSeconds(20));
      RpcClient client = cluster.client(registry, AttemptLog.countsOnly());
      Inventory inventory = client.create(Inventory.class);

      LoadReport report;
      long[] healthy;
      long[] window;
      int slow;
      try (LoadDriver load = LoadDriver.builder("stock").threads(16).rate(rate)
          .call(seq -> inventory.stock("sku-" + seq % 64)).tag(ProviderKillTest::provider).start()) {
        Polling.await("calls on all three providers", Duration.ofSeconds(30),
            () -> providers.stream().allMatch(p -> load.tagged(p.name()) > 0));
        long[] start = served(providers);
        load.awaitMore(rate * settle.toSeconds() * 2, Duration.ofSeconds(60));
        healthy = minus(served(providers), start);

        slow = busiest(healthy);
        providers.get(slow).injectLatency(latencyMillis);
        load.awaitMore(rate * settle.toSeconds(), Duration.ofSeconds(60)); // the balancer learns
        long[] from = served(providers);
        load.awaitMore(rate * measure.toSeconds(), measure.multipliedBy(10));
        window = minus(served(providers), from);
        report = load.stop();
      }
      double slowShare = share(window, slow);
      String name = providers.get(slow).name();
      ChaosResults.print(scenario, report.summary());
      ChaosResults.print(scenario, String.format(Locale.ROOT, "calls served by p1, p2, p3 before the injection %s (%s"
              + " %.1f%%); over %d s with %s slow %s (%s %.2f%%, bound %.1f%%)",
          List.of(healthy[0], healthy[1], healthy[2]), name, 100 * share(healthy, slow), measure.toSeconds(), name,
          List.of(window[0], window[1], window[2]), name, 100 * slowShare, 100 * SHARE_BOUND));

      assertThat(report.failed()).as(report.details()).isZero();
      assertThat(window[0] + window[1] + window[2]).isPositive();
      assertThat(slowShare).as("share of calls the slow provider ran; fair share is 1/%d", PROVIDERS)
          .isLessThan(SHARE_BOUND);
    }
  }

  private static long[] served(List<InventoryProvider> providers) {
    return providers.stream().mapToLong(InventoryProvider::stocks).toArray();
  }

  private static int busiest(long[] counts) {
    int best = 0;
    for (int i = 1; i < counts.length; i++) {
      if (counts[i] > counts[best]) {
        best = i;
      }
    }
    return best;
  }

  private static long[] minus(long[] a, long[] b) {
    long[] d = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  private static double share(long[] counts, int index) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total == 0 ? 0 : (double) counts[index] / total;
  }
}
