package io.courier.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The open-loop scheduler against fake systems whose service time is known: a single server taking 2 ms a call
 * (capacity about 500 calls/s), and a system with unlimited parallelism taking 10 ms a call.
 *
 * <p>The cases that expect the schedule to be kept allow up to three attempts: on a shared 2-core machine another
 * process can stall this JVM for longer than a tenth of a one-second window, which is the cell's honest result but not
 * the driver's fault. A driver that cannot keep the schedule fails all three.
 */
class OpenLoopDriverTest {

  private static void upToThreeTimes(Attempts.Attempt attempt) throws Exception {
    Attempts.upToThreeTimes(attempt);
  }

  /** One call at a time, each taking {@code serviceNanos}: a queue in front of a single server. */
  private static Operation singleServer(long serviceNanos) {
    Semaphore server = new Semaphore(1, true);
    return seq -> {
      server.acquire();
      try {
        long end = System.nanoTime() + serviceNanos;
        while (System.nanoTime() < end) {
          LockSupport.parkNanos(end - System.nanoTime());
        }
      } finally {
        server.release();
      }
    };
  }

  private static final ThreadLocal<Integer> MAX_CALLERS_OF_THE_RUN = new ThreadLocal<>();

  private static LoadOutcome run(Operation op, int maxCallers, double rate, long warmupMillis, long measureMillis)
      throws InterruptedException {
    MAX_CALLERS_OF_THE_RUN.set(maxCallers);
    CellSpec cell = CellSpec.open(Workload.EXIST_USER, maxCallers, rate, warmupMillis, measureMillis);
    return LoadDriver.of(op, cell, new ProcessMeters()).run(MeasurementWindow.NONE, null);
  }

  private static boolean sustained(LoadOutcome o) {
    return OpenLoopDriver.sustained(o.schedule().rate(), o.calls(), o.usage().elapsedNanos(),
        o.schedule().maxLagNanos(), o.schedule().peakCallers(), MAX_CALLERS_OF_THE_RUN.get());
  }

  @Test
  void belowCapacityTheRateIsKeptAndLatencyIsTheServiceTime() throws Exception {
    upToThreeTimes(() -> {
      LoadOutcome o = run(singleServer(2_000_000), 64, 200, 300, 1_500);
      double achieved = o.calls() * 1e9 / o.usage().elapsedNanos();
      assertThat(achieved).isBetween(190.0, 210.0);
      assertThat(o.schedule().sent()).isBetween(285L, 315L);
      assertThat(o.schedule().maxLagNanos()).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
      assertThat(o.latencies().getValueAtPercentile(50)).isBetween(1_900_000L, 10_000_000L);
      assertThat(sustained(o)).isTrue();
    });
  }

  @Test
  void aboveCapacityTheCellCouldNotSustainTheRate() throws Exception {
    // twice what the single server can do: the queue grows, completions stay at its capacity
    LoadOutcome o = run(singleServer(2_000_000), 64, 1_000, 200, 1_500);
    double achieved = o.calls() * 1e9 / o.usage().elapsedNanos();
    assertThat(achieved).isBetween(300.0, 560.0);
    assertThat(sustained(o)).isFalse();
    // measured from the intended start, the waiting shows: by the end calls wait hundreds of milliseconds
    assertThat(o.latencies().getMaxValue()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(200));
    // the driver ran out of callers (64 in flight) and could not even send on time
    assertThat(o.schedule().peakCallers()).isEqualTo(64);
    assertThat(o.schedule().maxLagNanos()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(100));
  }

  @Test
  void theDriverStartsAsManyCallersAsTheCallsInFlightNeed() throws Exception {
    // 10 ms per call with unlimited parallelism at 2,000 calls/s: about 20 in flight, more than the initial callers
    Operation slowButParallel = seq -> LockSupport.parkNanos(10_000_000);
    upToThreeTimes(() -> {
      LoadOutcome o = run(slowButParallel, 1_000, 2_000, 300, 1_000);
      assertThat(o.schedule().peakCallers()).isGreaterThan(OpenLoopDriver.INITIAL_CALLERS).isLessThan(200);
      assertThat(sustained(o)).isTrue();
      assertThat(o.latencies().getValueAtPercentile(99)).isLessThan(TimeUnit.MILLISECONDS.toNanos(60));
    });
  }

  @Test
  void theWindowDoesNotInheritTheWarmUpsBacklog() throws Exception {
    upToThreeTimes(OpenLoopDriverTest::warmUpBacklogIsDropped);
  }

  private static void warmUpBacklogIsDropped() throws Exception {
    long start = System.nanoTime();
    long stallUntil = start + TimeUnit.MILLISECONDS.toNanos(450);
    // stalls every call made in the first 450 ms of a 600 ms warm-up (a system still starting), then answers at once
    Operation stallsThenFast = seq -> {
      long now = System.nanoTime();
      if (now < stallUntil) {
        LockSupport.parkNanos(stallUntil - now);
      }
    };
    // 4 callers: during the stall the warm-up's calls pile up unsent (500/s × 0.45 s ≈ 225 of them)
    LoadOutcome o = run(stallsThenFast, 4, 500, 600, 1_000);
    // had the window inherited them, its first calls would be hundreds of milliseconds late
    assertThat(o.latencies().getMaxValue()).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(o.schedule().sent()).isBetween(475L, 525L); // the window's own calls: 500/s × 1 s
    assertThat(sustained(o)).isTrue();
  }

  @Test
  void anAsynchronousWarmUpCallAnsweredAfterTheWindowOpensIsNotRecordedInIt() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      java.util.concurrent.atomic.AtomicLong windowOpened = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
      MeasurementWindow window = new MeasurementWindow() {
        @Override
        public void opening() {
          windowOpened.set(System.nanoTime());
        }

        @Override
        public void closed() {}
      };
      // calls started before the window are answered 400 ms later, inside it; the window's own at once
      AsyncOperation slowUntilTheWindow = seq -> {
        long delay = System.nanoTime() < windowOpened.get() ? 400_000_000L : 0L;
        CompletableFuture<Object> answer = new CompletableFuture<>();
        timer.schedule(() -> answer.complete(Boolean.TRUE), delay, TimeUnit.NANOSECONDS);
        return answer;
      };
      // a steady-state warm-up (100 ms steps, 300-600 ms), whose steps also read the warm-up's latencies
      CellSpec cell = CellSpec.open(Workload.EXIST_USER, 1_000, 500, 300, 1_000).warmingUntilSteady(300, 600, 100);
      LoadOutcome o = LoadDriver.of(null, slowUntilTheWindow, cell, new ProcessMeters()).run(window, null);
      assertThat(o.latencies().getMaxValue()).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
      assertThat(o.latencies().getTotalCount()).isBetween(400L, 525L); // the window's own calls: 500/s × 1 s
    } finally {
      timer.shutdownNow();
    }
  }

  /** An asynchronous system that answers every call {@code serviceNanos} after it started, any number at once. */
  private static AsyncOperation asyncAfter(ScheduledExecutorService timer, long serviceNanos) {
    return seq -> {
      CompletableFuture<Object> answer = new CompletableFuture<>();
      timer.schedule(() -> answer.complete(Boolean.TRUE), serviceNanos, TimeUnit.NANOSECONDS);
      return answer;
    };
  }

  @Test
  void anAsynchronousClientIsDrivenFromOneThreadAtHighRates() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      upToThreeTimes(() -> {
        // 5,000 calls/s answered after 10 ms: about 50 in flight, started by the scheduler alone
        CellSpec cell = CellSpec.open(Workload.EXIST_USER, 1_000, 5_000, 300, 1_000);
        OpenLoopDriver driver = (OpenLoopDriver) LoadDriver.of(null, asyncAfter(timer, 10_000_000), cell,
            new ProcessMeters());
        assertThat(driver.asynchronous()).isTrue();
        LoadOutcome o = driver.run(MeasurementWindow.NONE, null);
        MAX_CALLERS_OF_THE_RUN.set(OpenLoopDriver.maxInFlight(cell, true));
        assertThat(o.schedule().asynchronous()).isTrue();
        assertThat(o.schedule().peakCallers()).isBetween(40, 200);
        assertThat(sustained(o)).isTrue();
        assertThat(o.latencies().getValueAtPercentile(50)).isBetween(9_000_000L, 30_000_000L);
      });
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void anAsynchronousClientThatFallsBehindCouldNotSustainTheRate() throws Exception {
    java.util.concurrent.ExecutorService server = Executors.newSingleThreadExecutor();
    try {
      // one server thread taking 2 ms a call (about 500 calls/s), offered 1,000 calls/s
      AsyncOperation queued = seq -> CompletableFuture.supplyAsync(() -> {
        LockSupport.parkNanos(2_000_000);
        return Boolean.TRUE;
      }, server);
      CellSpec cell = CellSpec.open(Workload.EXIST_USER, 64, 1_000, 200, 1_000);
      LoadOutcome o = LoadDriver.of(null, queued, cell, new ProcessMeters()).run(MeasurementWindow.NONE, null);
      MAX_CALLERS_OF_THE_RUN.set(OpenLoopDriver.maxInFlight(cell, true));
      // at most the server's capacity (less on a loaded machine, and behind the warm-up's queue)
      assertThat(o.calls() * 1e9 / o.usage().elapsedNanos()).isBetween(100.0, 560.0);
      assertThat(sustained(o)).isFalse();
      assertThat(o.latencies().getMaxValue()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(200));
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void sustainedNeedsNinetyFivePercentOfTheRateASmallLagAndFreeCallers() {
    long second = TimeUnit.SECONDS.toNanos(1);
    assertThat(OpenLoopDriver.sustained(1_000, 960, second, 1_000_000, 10, 64)).isTrue();
    assertThat(OpenLoopDriver.sustained(1_000, 940, second, 1_000_000, 10, 64)).isFalse();
    assertThat(OpenLoopDriver.sustained(1_000, 1_000, second, second / 5, 10, 64)).isFalse(); // over a tenth
    assertThat(OpenLoopDriver.sustained(1_000, 20_000, 20 * second, 1_500_000_000, 10, 64)).isFalse(); // over 1 s
    assertThat(OpenLoopDriver.sustained(1_000, 1_000, second, 1_000_000, 64, 64)).isFalse(); // every caller busy
  }
}
