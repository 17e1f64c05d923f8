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
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * ZooKeeper stopped under load, for longer than the ZooKeeper sessions of the providers and the client: no call
 * fails (consumers keep routing to the providers they knew), and once ZooKeeper is back a provider started then is
 * found and gets calls. Curator gives a session up once it has been out of touch for the session timeout, so the
 * providers come back with new sessions while the restarted ensemble still holds their old ones — and their old
 * nodes, until those sessions time out a session timeout later. The load runs on through that second moment before
 * the new provider starts, so that nothing but the three original providers could serve the calls then.
 */
class ZooKeeperOutageTest {

  private final int rate = ChaosSettings.number("zkOutage.rate", 500, 1000);
  private final Duration outage = ChaosSettings.duration("zkOutage.duration", "3s", "30s");
  private final Duration sessionTimeout = ChaosSettings.duration("zkOutage.sessionTimeout", "1s", "10s");
  private final Duration afterwards = ChaosSettings.duration("zkOutage.after", "3s", "30s");

  @Test
  void callsGoOnWhileZooKeeperIsDownAndAProviderStartedAfterItReturnsIsFound() throws Exception {
    String scenario = "ZooKeeper stopped for " + outage.toSeconds() + " s";
    try (ChaosCluster cluster = new ChaosCluster()) {
      String address = cluster.registryAddress(sessionTimeout);
      List<InventoryProvider> providers = List.of(new InventoryProvider("p1"), new InventoryProvider("p2"),
          new InventoryProvider("p3"));
      providers.forEach(p -> cluster.provider(p, address, UnaryOperator.identity()));
      ZooKeeperRegistry registry = cluster.registry(sessionTimeout);
      ProviderWatch watch = cluster.own(new ProviderWatch(registry, "courier.chaos.Inventory"));
      RpcClient client = cluster.client(registry, AttemptLog.countsOnly());
      Inventory inventory = client.create(Inventory.class);

      LoadReport report;
      long outageMillis;
      long stoppedAt;
      InventoryProvider late = new InventoryProvider("p4");
      try (LoadDriver load = LoadDriver.builder("stock").threads(8).rate(rate)
          .call(seq -> inventory.stock("sku-" + seq % 64)).tag(ProviderKillTest::provider).start()) {
        Polling.await("calls on all three providers", Duration.ofSeconds(30),
            () -> providers.stream().allMatch(p -> load.tagged(p.name()) > 0));
        load.awaitMore(rate, Duration.ofSeconds(30));

        stoppedAt = System.nanoTime();
        cluster.zookeeper().stop();
        // The outage lasts as long as the driver takes to make its calls for that time: its point is that time
        // passes, under load.
        load.awaitMore(rate * outage.toSeconds(), outage.multipliedBy(5));
        long failedDuringOutage = load.failed();
        cluster.zookeeper().restart();
        outageMillis = Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis();
        ChaosResults.print(scenario, "ZooKeeper was down " + outageMillis + " ms; calls failed meanwhile: "
            + failedDuringOutage);

        long restartedAt = System.nanoTime();
        // Through the moment the restarted ensemble expires the sessions the providers had before the outage.
        load.awaitMore(rate * (sessionTimeout.toSeconds() + 2), sessionTimeout.plusSeconds(2).multipliedBy(10));
        cluster.provider(late, address, UnaryOperator.identity());
        Polling.await("the provider started after the outage to get calls", Duration.ofSeconds(60),
            () -> load.tagged("p4") > 0);
        ChaosResults.print(scenario, "p4, started " + sessionTimeout.plusSeconds(2).toSeconds() + " s after ZooKeeper"
            + " was back, got its first call " + Duration.ofNanos(System.nanoTime() - restartedAt).toMillis()
            + " ms after ZooKeeper restarted");
        load.awaitMore(rate * afterwards.toSeconds(), afterwards.multipliedBy(10));
        report = load.stop();
      }
      ChaosResults.print(scenario, report.summary());
      ChaosResults.print(scenario, "provider lists the client received from the outage on: " + watch.updates().stream()
          .filter(u -> u.at() - stoppedAt >= 0).map(u -> String.format("+%d ms: %d", (u.at() - stoppedAt) / 1_000_000,
              u.endpoints().size())).toList());

      assertThat(report.failed()).as(report.details()).isZero();
      assertThat(report.tagged("p4")).as("calls the new provider got").isPositive();
      assertThat(outageMillis).isGreaterThanOrEqualTo(outage.toMillis() * 9 / 10);
    }
  }
}
