package io.courier.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chaos.load.AttemptLog;
import io.courier.chaos.load.LoadDriver;
import io.courier.chaos.load.LoadReport;
import io.courier.chaos.provider.Inventory;
import io.courier.chaos.provider.InventoryProvider;
import io.courier.client.RpcClient;
import io.courier.common.Endpoint;
import io.courier.registry.zookeeper.ZooKeeperRegistry;
import io.courier.server.RpcServer;
import io.courier.testing.Polling;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * A provider's ZooKeeper session expires while it serves under load: it registers again by itself, consumers never
 * lose it for longer than the session timeout, it gets calls again, and no call fails meanwhile. Two kinds of
 * expiry: the ensemble ends the session (its nodes go at once; the provider learns of it when it reconnects), and
 * the provider's client decides its session is gone (curator-test's {@link KillSession}: the old session, and its
 * node, linger on the server until they time out).
 */
class SessionExpiryTest {

  private final int rate = ChaosSettings.number("expiry.rate", 500, 1000);
  private final Duration sessionTimeout = ChaosSettings.duration("expiry.sessionTimeout", "4s", "10s");
  private final Duration after = ChaosSettings.duration("expiry.after", "2s", "20s");

  @Test
  void aProviderWhoseSessionTheEnsembleEndsRegistersAgainAndLosesNoCall() throws Exception {
    run("session ended by ZooKeeper", (zookeeper, curator) -> expireOnServer(zookeeper, curator));
  }

  @Test
  void aProviderThatSeesItsSessionExpireRegistersAgainAndLosesNoCall() throws Exception {
    run("session expiry seen by the provider (KillSession)",
        (zookeeper, curator) -> KillSession.kill(curator.getZookeeperClient().getZooKeeper()));
  }

  interface Expiry {
    void expire(String connectString, CuratorFramework providerSession) throws Exception;
  }

  private void run(String scenario, Expiry expiry) throws Exception {
    try (ChaosCluster cluster = new ChaosCluster()) {
      String address = cluster.registryAddress(sessionTimeout);
      InventoryProvider victim = new InventoryProvider("p1");
      List<InventoryProvider> others = List.of(new InventoryProvider("p2"), new InventoryProvider("p3"));
      ZooKeeperRegistry victimRegistry = cluster.registry(sessionTimeout);
      RpcServer victimServer = cluster.provider(victim, victimRegistry, UnaryOperator.identity());
      others.forEach(p -> cluster.provider(p, address, UnaryOperator.identity()));
      Endpoint victimEndpoint = new Endpoint("127.0.0.1", victimServer.port());

      ZooKeeperRegistry registry = cluster.registry(sessionTimeout);
      ProviderWatch watch = cluster.own(new ProviderWatch(registry, "courier.chaos.Inventory"));
      RpcClient client = cluster.client(registry, AttemptLog.countsOnly());
      Inventory inventory = client.create(Inventory.class);

      LoadReport report;
      long expiredAt;
      long victimCallsBefore;
      try (LoadDriver load = LoadDriver.builder("stock").threads(8).rate(rate)
          .call(seq -> inventory.stock("sku-" + seq % 64)).tag(ProviderKillTest::provider).start()) {
        Polling.await("calls on the provider whose session will expire", Duration.ofSeconds(30),
            () -> load.tagged("p1") > 50);
        long sessionBefore = victimRegistry.curator().getZookeeperClient().getZooKeeper().getSessionId();

        expiredAt = System.nanoTime();
        expiry.expire(cluster.zookeeper().getConnectString(), victimRegistry.curator());
        Polling.await("the provider to have a new session", sessionTimeout.multipliedBy(5), () -> {
          ZooKeeper zk = currentZooKeeper(victimRegistry);
          return zk != null && zk.getSessionId() != sessionBefore && zk.getState().isConnected();
        });
        Polling.await("consumers to see the provider leave and come back", sessionTimeout.multipliedBy(5),
            () -> watch.absencesSince(victimEndpoint, expiredAt) > 0 && watch.lists(victimEndpoint));
        victimCallsBefore = load.tagged("p1");
        Polling.await("the provider to get calls again", Duration.ofSeconds(30),
            () -> load.tagged("p1") > victimCallsBefore);
        load.awaitMore(rate * after.toSeconds(), after.multipliedBy(10));
        report = load.stop();
      }
      Duration gap = watch.longestAbsenceSince(victimEndpoint, expiredAt);
      ChaosResults.print(scenario, report.summary());
      ChaosResults.print(scenario, String.format("consumers lost the provider %d time(s), for at most %d ms (session"
              + " timeout %d ms); fewest providers listed meanwhile: %d; it got calls again",
          watch.absencesSince(victimEndpoint, expiredAt), gap.toMillis(), sessionTimeout.toMillis(),
          watch.fewestSince(expiredAt)));

      assertThat(report.failed()).as(report.details()).isZero();
      assertThat(gap).as("longest time consumers did not list the provider").isLessThan(sessionTimeout);
      assertThat(watch.fewestSince(expiredAt)).as("the other providers stayed listed").isGreaterThanOrEqualTo(2);
    }
  }

  private static ZooKeeper currentZooKeeper(ZooKeeperRegistry registry) {
    try {
      return registry.curator().getZookeeperClient().getZooKeeper();
    } catch (Exception e) {
      return null; // between sessions
    }
  }

  /**
   * Ends the provider's session the way the ensemble does when it expires: a second client joins the session with
   * its id and password and closes it. ZooKeeper deletes the session's ephemeral nodes at once, and the provider's
   * own connection is told the session has expired when it next talks to the server.
   */
  private static void expireOnServer(String connectString, CuratorFramework providerSession) throws Exception {
    ZooKeeper zk = providerSession.getZookeeperClient().getZooKeeper();
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper twin = new ZooKeeper(connectString, zk.getSessionTimeout(), event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    }, zk.getSessionId(), zk.getSessionPasswd());
    try {
      assertThat(connected.await(10, TimeUnit.SECONDS)).as("a second client joined the provider's session").isTrue();
    } finally {
      twin.close();
    }
  }
}
