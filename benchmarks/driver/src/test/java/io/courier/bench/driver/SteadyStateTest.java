package io.courier.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SteadyStateTest {

  @Test
  void aRampSettlesOnceFiveSamplesInARowAreWithinFivePercentOfTheirMean() {
    // a JIT ramp: slow, faster, then flat within ±2 % from index 4 on
    double[] series = {1_000, 4_000, 7_000, 9_000, 10_000, 10_200, 9_900, 10_100, 9_950, 10_000};
    assertThat(SteadyState.settlesAt(series, 5, 0.05)).isEqualTo(8); // samples 4..8
  }

  @Test
  void aLateJumpRestartsTheCount() {
    // flat for four samples, then the compiler finishes and throughput jumps by 30 %: not steady until five after it
    double[] series = {10_000, 10_000, 10_000, 10_000, 13_000, 13_000, 13_100, 12_900, 13_000};
    assertThat(SteadyState.settlesAt(series, 5, 0.05)).isEqualTo(8);
  }

  @Test
  void swingsOfMoreThanFivePercentNeverSettle() {
    double[] series = new double[60];
    for (int i = 0; i < series.length; i++) {
      series[i] = i % 2 == 0 ? 10_000 : 11_200; // ±5.7 % around the mean
    }
    assertThat(SteadyState.settlesAt(series, 5, 0.05)).isEqualTo(-1);
  }

  @Test
  void justInsideTheToleranceSettles() {
    double[] series = {10_000, 10_450, 9_560, 10_000, 10_000}; // mean 10,002: +4.5 % and -4.4 %
    assertThat(SteadyState.settlesAt(series, 5, 0.05)).isEqualTo(4);
  }

  @Test
  void nothingCompletedIsNotSteady() {
    assertThat(SteadyState.settlesAt(new double[20], 5, 0.05)).isEqualTo(-1);
    SteadyState s = new SteadyState();
    for (int i = 0; i < 4; i++) {
      assertThat(s.add(100)).isFalse(); // fewer than five samples
    }
    assertThat(s.add(100)).isTrue();
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new SteadyState(1, 0.05)).hasMessageContaining(">= 2");
    assertThatThrownBy(() -> new SteadyState(5, 0)).hasMessageContaining("> 0");
  }
}
