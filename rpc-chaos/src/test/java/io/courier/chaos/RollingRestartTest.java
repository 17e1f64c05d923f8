package io.courier.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chaos.load.AttemptLog;
import io.courier.chaos.load.LoadDriver;
import io.courier.chaos.load.LoadReport;
import io.courier.chaos.provider.Inventory;
import io.courier.chaos.provider.ProviderProcess;
import io.courier.client.RpcClient;
import io.courier.testing.Polling;
import io.courier.transport.Transports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every provider restarted in turn under load, each a JVM of its own stopped with SIGTERM — graceful shutdown:
 * deregister, drain, close — and started again on the same port: no call fails, idempotent or not. Twice: with
 * ZooKeeper, where consumers hear of the departure from the registry first, and with a fixed address list, where
 * the provider's GOAWAY and a refused connection are all they get.
 */
class RollingRestartTest {

  private final int rate = ChaosSettings.number("rolling.rate", 500, 1000);
  private final int rounds = ChaosSettings.number("rolling.rounds", 1, 3);
  private final Duration settle = ChaosSettings.duration("rolling.settle", "1s", "5s");

  @Test
  void restartingEveryProviderInTurnCostsNoCall() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster()) {
      String address = cluster.registryAddress(Duration.ofSeconds(10));
      AttemptLog attempts = AttemptLog.countsOnly();
      RpcClient client = cluster.client(cluster.registry(Duration.ofSeconds(20)), attempts);
      run("rolling restart, ZooKeeper", cluster, address, attempts, unused -> client);
    }
  }

  @Test
  void restartingEveryProviderInTurnCostsNoCallWhenClientsKnowOnlyTheirAddresses() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster()) {
      AttemptLog attempts = AttemptLog.countsOnly();
      run("rolling restart, fixed addresses", cluster, "none", attempts, providers -> {
        RpcClient.Builder b = RpcClient.builder().transport(attempts.wrap(Transports.find("tcp")));
        providers.forEach(p -> b.address(p.endpoint().toString()));
        return cluster.own(b.build());
      });
    }
  }

  private void run(String scenario, ChaosCluster cluster, String registry, AttemptLog attempts,
      Function<List<ProviderProcess>, RpcClient> clientFor) throws Exception {
    List<ProviderProcess> providers = new ArrayList<>(List.of("p1", "p2", "p3").stream()
        .map(name -> CompletableFuture.supplyAsync(() -> cluster.process(name, registry, 0))).toList()
        .stream().map(CompletableFuture::join).toList());
    List<ProviderProcess> everyone = new ArrayList<>(providers);
    Inventory inventory = clientFor.apply(providers).create(Inventory.class);

    LoadReport idempotent;
    LoadReport nonIdempotent;
    List<String> restarts = new ArrayList<>();
    try (LoadDriver reads = LoadDriver.builder("stock (@Idempotent)").threads(8).rate(rate)
            .call(seq -> inventory.stock("sku-" + seq % 64)).tag(ProviderKillTest::provider).start();
         LoadDriver writes = LoadDriver.builder("reserve (not idempotent)").threads(4).rate(rate / 5.0)
            .call(seq -> inventory.reserve("sku-" + seq % 64, 1)).tag(ProviderKillTest::provider).start()) {
      Polling.await("calls on all three providers", Duration.ofSeconds(60),
          () -> providers.stream().allMatch(p -> reads.tagged(p.name()) > 0));
      reads.awaitMore(rate * settle.toSeconds(), Duration.ofSeconds(60));
      for (int round = 1; round <= rounds; round++) {
        for (int i = 0; i < providers.size(); i++) {
          ProviderProcess old = providers.get(i);
          long stopping = System.nanoTime();
          boolean graceful = old.terminate(Duration.ofSeconds(30));
          long stopped = System.nanoTime();
          assertThat(graceful).as("%s shut down gracefully on SIGTERM (exit status %s):\n%s", old, old.exitValue(),
              old.lastOutput()).isTrue();
          String name = "p" + (i + 1) + "." + (round + 1);
          ProviderProcess fresh = cluster.process(name, registry, old.port());
          long started = System.nanoTime();
          providers.set(i, fresh);
          everyone.add(fresh);
          Polling.await(name + " to get calls", Duration.ofSeconds(60), () -> reads.tagged(name) > 0);
          restarts.add(String.format("%s: stopped in %d ms, %s serving again after %d ms, first call %d ms later",
              old.name(), (stopped - stopping) / 1_000_000, name, (started - stopped) / 1_000_000,
              (System.nanoTime() - started) / 1_000_000));
          reads.awaitMore(rate * settle.toSeconds(), Duration.ofSeconds(60));
        }
      }
      idempotent = reads.stop();
      nonIdempotent = writes.stop();
    }
    restarts.forEach(line -> ChaosResults.print(scenario, line));
    ChaosResults.print(scenario, idempotent.summary());
    ChaosResults.print(scenario, nonIdempotent.summary());
    ChaosResults.print(scenario, "failed attempts (each retried, or the end of its call): " + attempts.failureKinds());

    assertThat(idempotent.failed()).as(idempotent.details()).isZero();
    assertThat(nonIdempotent.failed()).as(nonIdempotent.details()).isZero();
    for (ProviderProcess p : everyone) {
      assertThat(p.leakReports()).as("leaks reported by %s", p).isEmpty();
    }
  }
}
