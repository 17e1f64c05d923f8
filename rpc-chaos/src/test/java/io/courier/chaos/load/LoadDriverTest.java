package io.courier.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.common.Status;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The load driver on calls that need no network: counting, classifying, pacing, stopping. */
class LoadDriverTest {

  @Test
  void countsEveryOutcomeByStatusAndTagsResults() {
    LoadReport report;
    try (LoadDriver load = LoadDriver.builder("mixed").threads(3).calls(300).call(seq -> {
      if (seq % 10 == 1) {
        throw Status.UNAVAILABLE.withDescription("down").asException();
      }
      if (seq % 10 == 2) {
        throw Status.DEADLINE_EXCEEDED.asException();
      }
      if (seq % 10 == 3) {
        throw new IllegalStateException("not an RpcException");
      }
      return seq % 2 == 0 ? "even" : "odd";
    }).tag(String::valueOf).start()) {
      report = load.awaitDone(Duration.ofSeconds(30));
    }
    assertThat(report.sent()).isEqualTo(300);
    assertThat(report.succeeded()).isEqualTo(210);
    assertThat(report.failures()).containsEntry("UNAVAILABLE", 30L).containsEntry("DEADLINE_EXCEEDED", 30L)
        .containsEntry("IllegalStateException", 30L).hasSize(3);
    assertThat(report.failed()).isEqualTo(90);
    assertThat(report.inFlight()).isZero();
    assertThat(report.tagged("even") + report.tagged("odd")).isEqualTo(210);
    assertThat(report.failureSamples()).isNotEmpty().hasSizeLessThanOrEqualTo(20);
    assertThat(report.summary()).startsWith("mixed: sent 300, failed 90 {DEADLINE_EXCEEDED: 30,"
        + " IllegalStateException: 30, UNAVAILABLE: 30}, max latency ");
  }

  @Test
  void aSteadyRateSpacesCallsOverTime() {
    LoadReport report;
    long start = System.nanoTime();
    try (LoadDriver load = LoadDriver.builder("paced").threads(2).rate(200).calls(100).call(seq -> seq).start()) {
      report = load.awaitDone(Duration.ofSeconds(30));
    }
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // 100 calls at 200/s: the last is due at 495 ms; never earlier.
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(490);
    assertThat(report.sent()).isEqualTo(100);
    assertThat(report.failed()).isZero();
    assertThat(report.summary()).contains("at 200/s, max lag");
  }

  @Test
  void stopWaitsForTheCallsInFlightAndMakesNoMore() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(2);
    LoadDriver load = LoadDriver.builder("blocked").threads(2).call(seq -> {
      started.countDown();
      assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
      return "done";
    }).start();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> load.awaitCompleted(1, Duration.ofMillis(50))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("0 of 1 calls completed after 50 ms");
    release.countDown();
    LoadReport report = load.stop(Duration.ofSeconds(30));
    assertThat(report.inFlight()).isZero();
    assertThat(report.sent()).isEqualTo(report.succeeded()).isGreaterThanOrEqualTo(2);
    long sent = load.sent();
    assertThat(load.sent()).as("nothing is sent after stop").isEqualTo(sent);
  }
}
