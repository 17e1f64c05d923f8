package io.courier.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chaos.load.AttemptLog;
import io.courier.chaos.load.AttemptLog.Attempt;
import io.courier.chaos.load.LoadDriver;
import io.courier.chaos.load.LoadReport;
import io.courier.chaos.provider.Inventory;
import io.courier.chaos.provider.ProviderProcess;
import io.courier.client.RpcClient;
import io.courier.registry.zookeeper.ZooKeeperRegistry;
import io.courier.testing.Polling;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of one of three providers, each in a JVM of its own, under continuous load: no call to an idempotent
 * method fails, and the dead provider leaves the rotation within a second of its connection dropping.
 *
 * <p>How "out of rotation" is measured: every attempt the client sends is logged with its endpoint and times
 * ({@link AttemptLog}). The drop is when the client first saw an attempt to the dead provider fail after the kill —
 * that is when its connection closed (or, if nothing was in flight, the first refused reconnect). The exit from the
 * rotation is the start of the last attempt sent to it before a pause of at least {@link #QUIET} — after that it
 * only gets the outlier detector's probes, one per ejection period (1 s, 2 s, 4 s, ...). Both instants are read
 * from {@code System.nanoTime()} in the client JVM, in the same log, so neither the time the kernel takes to tear
 * down a killed process nor the load driver's scheduling on a loaded machine enters the figure.
 *
 * <p>The provider killed is the one that served the most calls in the second before: the balancer may have put
 * another out of favour already (it keeps latency averages for tens of seconds), and a provider the balancer was
 * not choosing would leave the rotation in no time, proving nothing.
 */
class ProviderKillTest {

  /** A gap in the attempts to a provider this long means the balancer stopped choosing it. */
  private static final Duration QUIET = Duration.ofMillis(500);
  private static final Duration ROTATION_EXIT_BOUND = Duration.ofSeconds(1);

  private final int rate = ChaosSettings.number("kill.rate", 1000, 2000);
  private final Duration before = ChaosSettings.duration("kill.before", "2s", "15s");
  private final Duration after = ChaosSettings.duration("kill.after", "4s", "45s");
  private final Duration sessionTimeout = ChaosSettings.duration("kill.sessionTimeout", "10s", "20s");

  @Test
  void killingOneOfThreeProvidersCostsNoIdempotentCallAndEjectsItWithinASecond() throws Exception {
    String scenario = "kill -9 one of three providers";
    try (ChaosCluster cluster = new ChaosCluster()) {
      String address = cluster.registryAddress(sessionTimeout);
      List<CompletableFuture<ProviderProcess>> starting = List.of("p1", "p2", "p3").stream()
          .map(name -> CompletableFuture.supplyAsync(() -> cluster.process(name, address, 0))).toList();
      List<ProviderProcess> providers = starting.stream().map(CompletableFuture::join).toList();

      ZooKeeperRegistry registry = cluster.registry(Duration.ofSeconds(20));
      AttemptLog attempts = AttemptLog.withTimeline();
      RpcClient client = cluster.client(registry, attempts);
      Inventory inventory = client.create(Inventory.class);

      LoadReport idempotent;
      LoadReport nonIdempotent;
      long killedAt;
      ProviderProcess victim;
      long[] lastSecond = new long[providers.size()];
      try (LoadDriver reads = LoadDriver.builder("stock (@Idempotent)").threads(8).rate(rate)
              .call(seq -> inventory.stock("sku-" + seq % 64)).tag(ProviderKillTest::provider).start();
           LoadDriver writes = LoadDriver.builder("reserve (not idempotent)").threads(2).rate(rate / 10.0)
              .call(seq -> inventory.reserve("sku-" + seq % 64, 1)).tag(ProviderKillTest::provider).start()) {
        Polling.await("calls on all three providers", Duration.ofSeconds(60),
            () -> providers.stream().allMatch(p -> reads.tagged(p.name()) >= 100));
        reads.awaitMore(rate * before.toSeconds(), before.multipliedBy(10));
        for (int i = 0; i < providers.size(); i++) {
          lastSecond[i] = -reads.tagged(providers.get(i).name());
        }
        reads.awaitMore(rate, Duration.ofSeconds(30));
        int busiest = 0;
        for (int i = 0; i < providers.size(); i++) {
          lastSecond[i] += reads.tagged(providers.get(i).name());
          busiest = lastSecond[i] > lastSecond[busiest] ? i : busiest;
        }
        victim = providers.get(busiest);

        victim.kill();
        killedAt = victim.killedAtNanos();
        reads.awaitMore(rate * after.toSeconds(), after.multipliedBy(10));
        idempotent = reads.stop();
        nonIdempotent = writes.stop();
      }

      List<Attempt> toVictim = attempts.timeline(victim.endpoint());
      Attempt drop = toVictim.stream().filter(a -> !a.succeeded() && a.endNanos() - killedAt >= 0).findFirst()
          .orElseThrow(() -> new AssertionError("no attempt to " + victim + " failed after the kill"));
      long dropAt = toVictim.stream().filter(a -> !a.succeeded() && a.endNanos() - killedAt >= 0)
          .mapToLong(Attempt::endNanos).min().orElseThrow();
      long exitAt = dropAt;
      int inRotation = 0;
      int probes = 0;
      long previous = dropAt;
      boolean quiet = false;
      for (Attempt a : toVictim) {
        if (a.startNanos() - dropAt < 0) {
          continue;
        }
        if (!quiet && a.startNanos() - previous >= QUIET.toNanos()) {
          quiet = true;
        }
        if (quiet) {
          probes++;
        } else {
          inRotation++;
          exitAt = a.startNanos();
        }
        previous = a.startNanos();
      }
      long lostInFlight = toVictim.stream().filter(Attempt::connectionLost).count();
      Duration killToDrop = Duration.ofNanos(dropAt - killedAt);
      Duration dropToExit = Duration.ofNanos(exitAt - dropAt);

      ChaosResults.print(scenario, idempotent.summary());
      ChaosResults.print(scenario, nonIdempotent.summary());
      long servedLastSecond = java.util.Arrays.stream(lastSecond).sum();
      ChaosResults.print(scenario, String.format("killed %s, which had served %d of the %d calls of the second"
              + " before; kill -> connection drop seen %d ms; drop -> last attempt in rotation %d ms (%d attempts"
              + " started after the drop; %d lost in flight); %d probes after that; first failure seen: %s",
          victim.name(), lastSecond[providers.indexOf(victim)], servedLastSecond,
          TimeUnit.NANOSECONDS.toMillis(dropAt - killedAt), TimeUnit.NANOSECONDS.toMillis(exitAt - dropAt),
          inRotation, lostInFlight, probes,
          drop.connectionLost() ? "connection lost with the call in flight" : drop.code()));
      ChaosResults.print(scenario, "attempts per provider: " + attempts.attemptCounts());

      assertThat(idempotent.failed()).as(idempotent.details()).isZero();
      assertThat(lastSecond[providers.indexOf(victim)] * providers.size()).as("the victim was in rotation: it served"
          + " at least its fair share of the calls of the second before it died")
          .isGreaterThanOrEqualTo(servedLastSecond);
      assertThat(dropToExit).as("time from the dropped connection to the last attempt the balancer sent the dead"
          + " provider (kill -> drop took %s)", killToDrop).isLessThan(ROTATION_EXIT_BOUND);
      // A non-idempotent call fails only when it was on the dead connection: at most one per calling thread.
      assertThat(nonIdempotent.failed()).as(nonIdempotent.details()).isLessThanOrEqualTo(nonIdempotent.threads());
      assertThat(nonIdempotent.failures().keySet()).as(nonIdempotent.details()).isSubsetOf("UNAVAILABLE");
      providers.forEach(p -> assertThat(p.leakReports()).as(p.toString()).isEmpty());
    }
  }

  static String provider(Object result) {
    return ((Inventory.Stock) result).provider();
  }
}
