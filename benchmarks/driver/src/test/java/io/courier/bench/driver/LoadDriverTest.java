package io.courier.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class LoadDriverTest {

  @Test
  void closedLoopCountsCallsAndFailuresOfTheWindowOnly() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Operation op = seq -> {
      if (calls.incrementAndGet() % 100 == 0) {
        throw new IllegalStateException("every hundredth call fails");
      }
    };
    LoadOutcome outcome = LoadDriver.of(op, CellSpec.closed(Workload.EXIST_USER, 2, 50, 100), new ProcessMeters())
        .run(MeasurementWindow.NONE, null);
    assertThat(outcome.calls()).isPositive();
    assertThat(outcome.errors()).isPositive();
    assertThat(outcome.firstError()).contains("every hundredth call fails");
    assertThat(outcome.calls() + outcome.errors()).isLessThan(calls.get()); // warm-up calls are not counted
    assertThat(outcome.usage().cpuNanos()).isPositive();
    assertThat(outcome.settled()).isEqualTo(-1); // a fixed warm-up: not checked
    assertThat(outcome.schedule()).isNull();
  }

  @Test
  void warmUpLastsUntilTheThroughputIsSteady() throws Exception {
    Attempts.upToThreeTimes(LoadDriverTest::warmUpRamp);
  }

  private static void warmUpRamp() throws Exception {
    long start = System.nanoTime();
    // a system that speeds up steadily for 640 ms (a JIT at work), from 2 ms a call to 0.4 ms, then stays there
    Operation op = seq -> LockSupport.parkNanos(Math.max(400_000, 2_000_000 - (System.nanoTime() - start) / 400));
    CellSpec cell = CellSpec.closed(Workload.GET_USER, 2, 100, 200).warmingUntilSteady(100, 5_000, 100);
    LoadOutcome outcome = LoadDriver.of(op, cell, new ProcessMeters()).run(MeasurementWindow.NONE, null);
    assertThat(outcome.settled()).isEqualTo(1);
    // the ramp is never steady; five samples of 100 ms after it ends at 640 ms are
    assertThat(outcome.warmupMillis()).isBetween(900L, 3_000L);
  }

  @Test
  void aCellThatNeverSettlesIsMeasuredAtTheCapAndFlagged() throws Exception {
    long start = System.nanoTime();
    // alternates between fast and slow every 100 ms: throughput swings far beyond ±5 %
    Operation op = seq -> LockSupport.parkNanos(((System.nanoTime() - start) / 100_000_000L) % 2 == 0
        ? 300_000 : 1_500_000);
    CellSpec cell = CellSpec.closed(Workload.GET_USER, 2, 100, 100).warmingUntilSteady(0, 800, 100);
    LoadOutcome outcome = LoadDriver.of(op, cell, new ProcessMeters()).run(MeasurementWindow.NONE, null);
    assertThat(outcome.settled()).isZero();
    assertThat(outcome.warmupMillis()).isBetween(800L, 1_500L);
    assertThat(outcome.calls()).isPositive();
  }
}
