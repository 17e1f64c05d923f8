package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.courier.common.Endpoint;
import io.courier.internal.cluster.Failures.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health bookkeeping on an explicit clock: ejection, probing, backoff growth and the latency average. */
class EndpointHealthTest {

  private static final long MS = 1_000_000L;
  private static final OutlierDetection OUTLIERS =
      new OutlierDetection(3, Duration.ofMillis(100), Duration.ofMillis(350));

  private final EndpointHealth health = new EndpointHealth(new Endpoint("10.0.0.1", 7070));
  private long now = 1_000 * MS;

  @Test
  void anUnreachableProviderIsEjectedAtOnceAndProbedBackIn() {
    finish(Outcome.UNREACHABLE);
    assertThat(health.isAvailable(now)).isFalse();
    now += 99 * MS;
    assertThat(health.isAvailable(now)).isFalse();
    now += 1 * MS;
    assertThat(health.isAvailable(now)).isTrue(); // the probe may go
    health.started();
    assertThat(health.isAvailable(now)).as("one probe at a time").isFalse();
    health.finished(now, MS, Outcome.SUCCESS, OUTLIERS);
    assertThat(health.isAvailable(now)).isTrue();
    finish(Outcome.UNREACHABLE); // forgiven: the next ejection is the base again
    assertThat(health.isAvailable(now + 99 * MS)).isFalse();
    assertThat(health.isAvailable(now + 100 * MS)).isTrue();
  }

  @Test
  void ejectionDoublesWhileProbesFailUpToTheMaximum() {
    finish(Outcome.UNREACHABLE);
    long ejection = 100;
    for (long next : new long[] {200, 350, 350}) {
      now += ejection * MS;
      assertThat(health.isAvailable(now)).isTrue();
      finish(Outcome.UNREACHABLE); // the probe fails
      assertThat(health.isAvailable(now + (next - 1) * MS)).isFalse();
      assertThat(health.isAvailable(now + next * MS)).isTrue();
      ejection = next;
    }
  }

  @Test
  void otherFailuresEjectAfterTheConfiguredCountInARow() {
    finish(Outcome.FAILURE);
    finish(Outcome.FAILURE);
    finish(Outcome.SUCCESS); // resets the count
    finish(Outcome.FAILURE);
    finish(Outcome.FAILURE);
    assertThat(health.isAvailable(now)).isTrue();
    assertThat(health.consecutiveFailures()).isEqualTo(2);
    finish(Outcome.FAILURE);
    assertThat(health.isAvailable(now)).isFalse();
  }

  @Test
  void failuresOfCallsStartedBeforeAnEjectionDoNotExtendIt() {
    finish(Outcome.UNREACHABLE);
    now += 50 * MS;
    finish(Outcome.UNREACHABLE);
    finish(Outcome.FAILURE);
    assertThat(health.isAvailable(now + 50 * MS)).isTrue();
  }

  @Test
  void disabledDetectionNeverEjects() {
    OutlierDetection off = new OutlierDetection(0, Duration.ofMillis(100), Duration.ofMillis(100));
    for (int i = 0; i < 10; i++) {
      health.started();
      health.finished(now, MS, Outcome.UNREACHABLE, off);
    }
    assertThat(health.isAvailable(now)).isTrue();
  }

  @Test
  void latencyJumpsUpToSlowSamplesAndDecaysOtherwise() {
    sample(900 * MS); // the first call also connected: not counted
    assertThat(health.latencyNanos(now)).isZero();
    sample(10 * MS);
    assertThat(health.latencyNanos(now)).isEqualTo(10 * MS);
    sample(50 * MS);
    assertThat(health.latencyNanos(now)).as("peak-sensitive").isEqualTo(50 * MS);
    now += 1_000 * MS;
    sample(10 * MS); // one second later: w = e^-0.1
    double w = Math.exp(-0.1);
    assertThat((double) health.latencyNanos(now)).isCloseTo(50 * MS * w + 10 * MS * (1 - w), within(1.0 * MS));
    long recorded = health.latencyNanos(now);
    now += 10_000 * MS; // no calls for a decay time: down to 1/e
    assertThat((double) health.latencyNanos(now)).isCloseTo(recorded * Math.exp(-1), within(0.01 * MS));
  }

  @Test
  void callsInFlightAreCounted() {
    health.started();
    health.started();
    assertThat(health.inFlight()).isEqualTo(2);
    health.finished(now, MS, Outcome.NEUTRAL, OUTLIERS);
    assertThat(health.inFlight()).isEqualTo(1);
  }

  private void finish(Outcome outcome) {
    health.started();
    health.finished(now, MS, outcome, OUTLIERS);
  }

  private void sample(long latency) {
    health.started();
    health.finished(now, latency, Outcome.SUCCESS, OUTLIERS);
  }
}
