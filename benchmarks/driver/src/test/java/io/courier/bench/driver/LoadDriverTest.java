package io.courier.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
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
  }

  @Test
  void openLoopMeasuresFromTheIntendedStartSoASlowCallDelaysTheOnesQueuedBehindIt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Operation op = seq -> {
      if (calls.incrementAndGet() == 30) {
        Thread.sleep(200); // the only worker is stuck: calls due meanwhile must show the wait
      }
    };
    LoadOutcome outcome = LoadDriver.of(op, CellSpec.open(Workload.EXIST_USER, 1, 200, 100, 400),
        new ProcessMeters()).run(MeasurementWindow.NONE, null);
    assertThat(outcome.calls()).isBetween(40L, 120L);
    // a closed-loop view would show one slow call; from the intended start, the calls queued behind it are late too
    assertThat(outcome.latencies().getValueAtPercentile(90)).isGreaterThan(50_000_000L);
  }
}
