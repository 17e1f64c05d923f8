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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.InstanceSpec;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * A three-server ZooKeeper ensemble broken one server at a time under load, as an operator's maintenance or a bad
 * night would: its leader is killed, then each follower in turn — each restarted, and the ensemble whole again,
 * before the next goes, so a quorum always holds — and finally two servers at once, the leader and a follower, so
 * that the ensemble has no quorum for a while. Three providers and a client, each with a registry of its own
 * connected through {@code zookeeper://} with all three servers in the address, and a steady load on the
 * {@code @Idempotent} {@code stock}.
 *
 * <p>Asserted: no call fails — not while a leader is elected, not while the ensemble has no quorum (consumers keep
 * their last known providers) and not when it is back — and a provider started at the end is found and gets
 * calls. Each step prints which server went, how long the survivors took to serve again (or to stop serving, without
 * a quorum), how many sessions were on it, and how long a registry was out of touch; the full run's quorum loss
 * outlasts the sessions, so Curator gives them up and the restored ensemble expires the old ones later, and the load
 * runs on through that moment before the last provider starts.
 */
class EnsembleFailoverTest {

  private static final String SERVICE = "courier.chaos.Inventory";
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

  private final int rate = ChaosSettings.number("ensemble.rate", 500, 1000);
  private final Duration sessionTimeout = ChaosSettings.duration("ensemble.sessionTimeout", "4s", "10s");
  /** How long the load runs with one server down (after the others serve again). */
  private final Duration down = ChaosSettings.duration("ensemble.down", "1s", "10s");
  /** How long the load runs with two of three servers down (after the third stopped serving). */
  private final Duration quorumLoss = ChaosSettings.duration("ensemble.quorumLoss", "2s", "15s");
  private final Duration after = ChaosSettings.duration("ensemble.after", "1s", "10s");

  @Test
  void killingTheLeaderThenEachFollowerThenTheQuorumCostsNoCall() throws Exception {
    String scenario = "ZooKeeper ensemble of 3: leader, each follower, quorum lost for " + quorumLoss.toSeconds()
        + " s";
    try (ChaosCluster cluster = ChaosCluster.onEnsemble(3)) {
      ZooKeeperEnsemble ensemble = cluster.ensemble();
      String address = cluster.registryAddress(sessionTimeout);
      SessionLog sessions = new SessionLog();
      Map<String, ZooKeeperRegistry> registries = new LinkedHashMap<>();
      List<InventoryProvider> providers = List.of(new InventoryProvider("p1"), new InventoryProvider("p2"),
          new InventoryProvider("p3"));
      for (InventoryProvider p : providers) {
        ZooKeeperRegistry registry = cluster.connect(address);
        sessions.watch(p.name(), registry);
        registries.put(p.name(), registry);
        cluster.provider(p, registry, UnaryOperator.identity());
      }
      ZooKeeperRegistry registry = cluster.connect(address);
      sessions.watch("client", registry);
      registries.put("client", registry);
      ProviderWatch watch = cluster.own(new ProviderWatch(registry, SERVICE));
      RpcClient client = cluster.client(registry, AttemptLog.countsOnly());
      Inventory inventory = client.create(Inventory.class);
      ChaosResults.print(scenario, "ensemble " + ensemble.describe() + "; registries at " + address);

      Step step = new Step(scenario, ensemble, registries, sessions);
      LoadReport report;
      long firstKill;
      InventoryProvider late = new InventoryProvider("p4");
      try (LoadDriver load = LoadDriver.builder("stock").threads(8).rate(rate)
          .call(seq -> inventory.stock("sku-" + seq % 64)).tag(ProviderKillTest::provider).start()) {
        step.load = load;
        Polling.await("calls on all three providers", Duration.ofSeconds(30),
            () -> providers.stream().allMatch(p -> load.tagged(p.name()) > 0));
        load.awaitMore(rate, Duration.ofSeconds(30));
        firstKill = System.nanoTime();

        step.run("the leader", List.of(ensemble.leader()), down);
        Set<InstanceSpec> followersKilled = new HashSet<>();
        for (int i = 1; i <= 2; i++) {
          // the followers of the moment: the leader may have changed at every step
          InstanceSpec follower = ensemble.followers().stream().filter(f -> !followersKilled.contains(f))
              .findFirst().orElseGet(() -> ensemble.followers().get(0));
          followersKilled.add(follower);
          step.run("follower " + i, List.of(follower), down);
        }
        step.run("two of three, no quorum", List.of(ensemble.leader(), ensemble.followers().get(0)), quorumLoss);

        if (quorumLoss.compareTo(sessionTimeout) >= 0) {
          // Curator gave the sessions up during the loss; the ensemble restored them and expires them a session
          // timeout after it is back: run on through that moment, with nothing but p1..p3 to serve the calls.
          load.awaitMore(rate * (sessionTimeout.toSeconds() + 2), sessionTimeout.plusSeconds(2).multipliedBy(10));
        }
        long lateStarted = System.nanoTime();
        cluster.provider(late, address, UnaryOperator.identity());
        Polling.await("the provider started after the ensemble's troubles to get calls", SETTLE_TIMEOUT,
            () -> load.tagged("p4") > 0);
        ChaosResults.print(scenario, "p4, started once the ensemble was whole, registered through the same address"
            + " and got its first call " + Duration.ofNanos(System.nanoTime() - lateStarted).toMillis()
            + " ms after it started");
        load.awaitMore((long) rate * after.toSeconds(), after.multipliedBy(10).plusSeconds(10));
        Polling.await("the client to list all four providers", SETTLE_TIMEOUT, () -> {
          List<ProviderWatch.Update> lists = watch.updates();
          return lists.get(lists.size() - 1).endpoints().size() == 4;
        });
        report = load.stop();
      }
      ChaosResults.print(scenario, report.summary());
      ChaosResults.print(scenario, String.format("sessions (3 providers, 1 client) from the first kill on: %d"
              + " SUSPENDED, %d LOST, out of touch for at most %d ms; provider lists the client received: %s",
          sessions.count(ConnectionState.SUSPENDED, firstKill), sessions.count(ConnectionState.LOST, firstKill),
          sessions.longestOutOfTouch(firstKill).toMillis(), watch.updates().stream()
              .filter(u -> u.at() - firstKill >= 0).map(u -> String.format("+%d ms: %d",
                  (u.at() - firstKill) / 1_000_000, u.endpoints().size())).toList()));

      assertThat(report.failed()).as(report.details()).isZero();
      assertThat(report.tagged("p4")).as("calls the provider started at the end got").isPositive();
      assertThat(step.failedDuringSteps).as("calls failed while servers were down").isZero();
    }
  }

  private static String list(List<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** One breakage: kill some servers, let the load run, restart them, wait until the ensemble is whole. */
  private final class Step {
    final String scenario;
    final ZooKeeperEnsemble ensemble;
    final Map<String, ZooKeeperRegistry> registries;
    final SessionLog sessions;
    LoadDriver load;
    long failedDuringSteps;

    Step(String scenario, ZooKeeperEnsemble ensemble, Map<String, ZooKeeperRegistry> registries,
        SessionLog sessions) {
      this.scenario = scenario;
      this.ensemble = ensemble;
      this.registries = registries;
      this.sessions = sessions;
    }

    void run(String what, List<InstanceSpec> victims, Duration hold) throws Exception {
      List<InstanceSpec> survivors = ensemble.running().stream().filter(s -> !victims.contains(s)).toList();
      boolean quorum = survivors.size() > ensemble.servers().size() / 2;
      String before = ensemble.describe();
      List<String> onVictims = new ArrayList<>();
      registries.forEach((who, r) -> {
        if (victims.contains(ensemble.connectedTo(zooKeeper(r)))) {
          onVictims.add(who);
        }
      });
      long failedBefore = load.failed();
      long killedAt = System.nanoTime();
      for (InstanceSpec victim : victims) {
        ensemble.kill(victim);
      }
      Duration settled = quorum ? ensemble.awaitServing(survivors, SETTLE_TIMEOUT)
          : ensemble.awaitNotServing(survivors, SETTLE_TIMEOUT);
      String afterKill = ensemble.describe();
      // The servers stay down as long as the driver takes to make its calls for that time: time passes, under load.
      load.awaitMore(Math.max(1, rate * hold.toMillis() / 1000), hold.multipliedBy(10).plusSeconds(10));
      for (InstanceSpec victim : victims) {
        ensemble.restart(victim);
      }
      long restartedAt = System.nanoTime();
      long downMillis = Duration.ofNanos(restartedAt - killedAt).toMillis();
      Duration whole = ensemble.awaitServing(ensemble.servers(), SETTLE_TIMEOUT);
      Polling.await("every registry to be connected again", sessionTimeout.multipliedBy(5).plus(SETTLE_TIMEOUT),
          sessions::allConnected);
      long reconnectedMillis = Duration.ofNanos(System.nanoTime() - restartedAt).toMillis();
      long failed = load.failed() - failedBefore;
      failedDuringSteps += failed;
      List<String> cut = sessions.suspendedSince(killedAt);
      ChaosResults.print(scenario, String.format("%s: killed %s (%s; sessions connected to it: %s); %s after %d ms"
              + " (%s); down %d ms under load, calls failed meanwhile: %d; restarted: %s after %d ms, every registry"
              + " connected after %d ms; sessions cut: %s, out of touch at most %d ms, lost: %d", what,
          ZooKeeperEnsemble.names(victims), before, list(onVictims),
          quorum ? "the others served" : "the survivor stopped serving", settled.toMillis(), afterKill, downMillis,
          failed, ensemble.describe(), whole.toMillis(), reconnectedMillis, list(cut),
          sessions.longestOutOfTouch(killedAt).toMillis(), sessions.count(ConnectionState.LOST, killedAt)));
    }

    private ZooKeeper zooKeeper(ZooKeeperRegistry registry) {
      try {
        return registry.curator().getZookeeperClient().getZooKeeper();
      } catch (Exception e) {
        return null; // between sessions
      }
    }
  }
}
