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
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A steady rate for a long time, client and providers in this JVM so that their heap and threads are measured
 * together: heap after a full collection flat, thread count flat, no call failed, and no Netty leak report (the
 * build runs Netty's leak detector at paranoid level, and courier-testing's {@code LeakDetection} fails this class
 * if a buffer leaked).
 *
 * <p>The baseline is taken after a warm-up under the same load, so that connection pools and JIT caches are
 * already at their steady size; the end figures are taken while the load still runs. Heap is measured after
 * {@code System.gc()} (a full collection with the JVM's default collector), the smaller of two readings. Threads
 * are counted apart from the providers' worker pools: a pool starts a thread per call until it has its configured
 * size, and lets threads idle for a minute go, so its size follows how the balancer spreads calls — those pools
 * are checked against their bound instead.
 */
class SoakTest {

  /** Heap may end this much above its baseline: collector and allocator noise, not a trend. */
  private static final long HEAP_SLACK_BYTES = 8L << 20;
  private static final double HEAP_SLACK_RATIO = 0.10;
  private static final int THREAD_SLACK = 4;
  private static final int WORKERS_PER_PROVIDER = 32;

  private final int rate = ChaosSettings.number("soak.rate", 500, 500);
  private final Duration warmUp = ChaosSettings.duration("soak.warmUp", "5s", "30s");
  private final Duration duration = ChaosSettings.duration("soak.duration", "20s", "10m");
  private final int samples = ChaosSettings.number("soak.samples", 2, 10);

  @Test
  void aLongSteadyLoadLeavesHeapAndThreadsFlat() throws Exception {
    String scenario = "soak " + format(duration) + " at " + rate + " calls/s";
    try (ChaosCluster cluster = new ChaosCluster()) {
      String address = cluster.registryAddress(Duration.ofSeconds(10));
      List<InventoryProvider> providers = List.of(new InventoryProvider("p1"), new InventoryProvider("p2"),
          new InventoryProvider("p3"));
      providers.forEach(p -> cluster.provider(p, address, b -> b.workerThreads(WORKERS_PER_PROVIDER)));
      ZooKeeperRegistry registry = cluster.registry(Duration.ofSeconds(20));
      RpcClient client = cluster.client(registry, AttemptLog.countsOnly());
      Inventory inventory = client.create(Inventory.class);

      LoadReport report;
      long heapStart;
      long heapEnd;
      int threadsStart;
      int threadsEnd;
      int workersEnd;
      List<String> timeline = new ArrayList<>();
      try (LoadDriver load = LoadDriver.builder("stock").threads(8).rate(rate)
          .call(seq -> seq % 10 == 0 ? inventory.reserve("sku-" + seq % 64, 1) : inventory.stock("sku-" + seq % 64))
          .tag(ProviderKillTest::provider).start()) {
        Polling.await("calls on all three providers", Duration.ofSeconds(30),
            () -> providers.stream().allMatch(p -> load.tagged(p.name()) > 0));
        load.awaitMore(rate * warmUp.toSeconds(), warmUp.multipliedBy(10));
        heapStart = heapAfterGc();
        threadsStart = threads();
        timeline.add(sample(load, heapStart, threadsStart));
        long perSample = rate * duration.toSeconds() / samples;
        for (int i = 0; i < samples; i++) {
          // the soak's point is that time passes; it passes as the driver makes its calls
          load.awaitMore(perSample, duration.dividedBy(samples).multipliedBy(10));
          if (i < samples - 1) {
            timeline.add(sample(load, heapAfterGc(), threads()));
          }
        }
        heapEnd = heapAfterGc();
        threadsEnd = threads();
        workersEnd = workerThreads();
        timeline.add(sample(load, heapEnd, threadsEnd));
        report = load.stop();
      }
      long heapBound = heapStart + Math.max(HEAP_SLACK_BYTES, (long) (heapStart * HEAP_SLACK_RATIO));
      ChaosResults.print(scenario, report.summary());
      ChaosResults.print(scenario, "after warm-up, then every " + format(duration.dividedBy(samples)) + ": "
          + String.join("; ", timeline));
      ChaosResults.print(scenario, String.format("heap after GC %s -> %s (bound %s); threads besides the providers'"
              + " worker pools %d -> %d (bound %d); worker threads at the end %d (bound %d)", mib(heapStart),
          mib(heapEnd), mib(heapBound), threadsStart, threadsEnd, threadsStart + THREAD_SLACK, workersEnd,
          providers.size() * WORKERS_PER_PROVIDER));

      assertThat(report.failed()).as(report.details()).isZero();
      assertThat(heapEnd).as("heap after GC at the end, against %s at the start", mib(heapStart))
          .isLessThanOrEqualTo(heapBound);
      assertThat(threadsEnd).as("live threads besides worker pools at the end; the timeline: %s", timeline)
          .isLessThanOrEqualTo(threadsStart + THREAD_SLACK);
      assertThat(workersEnd).isLessThanOrEqualTo(providers.size() * WORKERS_PER_PROVIDER);
    }
  }

  private static String sample(LoadDriver load, long heap, int threads) {
    return load.completed() + " calls: heap " + mib(heap) + ", " + threads + " threads + " + workerThreads()
        + " workers";
  }

  /** Used heap after a full collection; the smaller of two, as a reference may be cleared between them. */
  static long heapAfterGc() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      System.gc();
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  /** Live threads, not counting the providers' worker pools. */
  static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount() - workerThreads();
  }

  /** Threads of the providers' worker pools (RpcServer names them {@code courier-worker-<pool>-<n>}). */
  static int workerThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("courier-worker-")).count();
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static String format(Duration d) {
    return d.toSeconds() % 60 == 0 && d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }
}
