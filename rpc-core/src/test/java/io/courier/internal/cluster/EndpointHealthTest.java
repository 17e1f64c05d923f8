package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.courier.common.Endpoint;
import io.courier.internal.cluster.Failures.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health bookkeeping on an explicit clock: ejection, probing, backoff growth, the latency average, slow start. */
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
  void theFirstAnswerIsNotCountedAndTheNextOnesAreAveragedEvenly() {
    answer(900 * MS, 1 * MS); // the first call also connected: not counted
    assertThat(health.latencyNanos(now)).isZero();
    answer(10 * MS, 20 * MS); // each call starts 20 ms after the one before: they weigh the same
    assertThat(health.latencyNanos(now)).isEqualTo(10 * MS);
    answer(20 * MS, 10 * MS);
    answer(30 * MS, 0);
    assertThat((double) health.latencyNanos(now)).as("the mean so far, not the first sample carried on")
        .isCloseTo(20 * MS, within(0.05 * MS));
  }

  @Test
  void oneSlowAnswerAmongManyFastOnesMovesTheAverageLittle() {
    steady(1 * MS, 5 * MS, 20_000 * MS);
    answer(50 * MS, 5 * MS); // a GC pause
    assertThat(health.latencyNanos(now)).isLessThan(1_100_000L);
    steady(1 * MS, 5 * MS, 1_000 * MS);
    assertThat(health.latencyNanos(now)).isLessThan(1_020_000L);
  }

  @Test
  void aProviderThatStaysSlowShowsInItsAverageWithinASecond() {
    steady(1 * MS, 2 * MS, 20_000 * MS);
    for (int i = 0; i < 20; i++) {
      answer(50 * MS, 0); // one caller, each call as soon as the last one answered: a second of 50 ms answers
    }
    double expected = MS + 49 * MS * (1 - Math.exp(-1_000.0 / 10_000)); // a second's weight, with a 10 s decay
    assertThat((double) health.latencyNanos(now)).isCloseTo(expected, within(0.3 * MS)).isGreaterThan(5 * MS);
  }

  @Test
  void aProviderThatWasSlowAndAnswersFastAgainIsSeenToWithinSeconds() {
    for (int i = 0; i < 20; i++) {
      answer(20 * MS, 10 * MS); // cold: a JIT still at work
    }
    assertThat((double) health.latencyNanos(now)).isCloseTo(20 * MS, within(0.01 * MS));
    steady(1 * MS, 10 * MS, 1_000 * MS);
    assertThat(health.latencyNanos(now)).as("a 1 s decay for faster answers").isLessThan(9 * MS);
    steady(1 * MS, 10 * MS, 2_000 * MS);
    assertThat(health.latencyNanos(now)).isLessThan(2 * MS);
  }

  @Test
  void theAverageDecaysWhileNoCallCompletesButNeverToZero() {
    answer(MS, MS);
    answer(10 * MS, MS);
    long recorded = health.latencyNanos(now);
    now += 10_000 * MS; // no calls for a decay time: down to 1/e, so that an idle, once-slow provider is tried again
    assertThat((double) health.latencyNanos(now)).isCloseTo(recorded * Math.exp(-1), within(0.01 * MS));
    now += 3_600_000 * MS;
    assertThat(health.latencyNanos(now)).as("still a measurement, not 'never answered'").isEqualTo(1);
  }

  @Test
  void slowStartRampsFromTheFloorToAFullShareOverTheWindow() {
    SlowStart tenSeconds = new SlowStart(Duration.ofSeconds(10), 0.1);
    EndpointHealth fresh = new EndpointHealth(new Endpoint("10.0.0.2", 7070), now, tenSeconds);
    long joined = now;
    assertThat(fresh.slowStartFactor(() -> joined)).isEqualTo(0.1);
    assertThat(fresh.slowStartFactor(() -> joined + 5_000 * MS)).isCloseTo(0.55, within(1e-9));
    assertThat(fresh.slowStartFactor(() -> joined + 9_000 * MS)).isCloseTo(0.91, within(1e-9));
    assertThat(fresh.slowStartFactor(() -> joined + 10_000 * MS)).isEqualTo(1);
    assertThat(fresh.slowStartFactor(() -> joined)).as("once over, over: the clock is not read again").isEqualTo(1);
    assertThat(new EndpointHealth(new Endpoint("10.0.0.3", 7070), now, SlowStart.OFF).slowStartFactor(() -> joined))
        .isEqualTo(1);
  }

  @Test
  void slowStartSettingsAreChecked() {
    assertThatThrownBy(() -> new SlowStart(Duration.ofSeconds(-1), 0.1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowStart: PT-1S (expected: 0 to PT24H; 0 turns slow start off)");
    assertThatThrownBy(() -> new SlowStart(Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("floor: 0.0 (expected: > 0 and <= 1)");
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

  /** A call that starts {@code gap} after the last one answered and answers after {@code latency}. */
  private void answer(long latency, long gap) {
    now += gap;
    health.started();
    now += latency;
    health.finished(now, latency, Outcome.SUCCESS, OUTLIERS);
  }

  /** Answers of {@code latency}, one every {@code every}, for {@code duration}. */
  private void steady(long latency, long every, long duration) {
    for (long t = 0; t < duration; t += every) {
      answer(latency, every - latency);
    }
  }
}
