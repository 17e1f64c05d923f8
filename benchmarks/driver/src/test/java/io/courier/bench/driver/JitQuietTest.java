package io.courier.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the JVM warm-up takes a JVM's JIT as quiet, and the compilation time a child reports. */
class JitQuietTest {

  @Test
  void quietWhenTheCompilersTookAtMostFivePercentOfTheRound() {
    assertThat(ClientChild.jitQuiet(1_000, 1_100, 2_000)).isTrue(); // 100 ms of 2 s: 5 %
    assertThat(ClientChild.jitQuiet(1_000, 1_101, 2_000)).isFalse();
    assertThat(ClientChild.jitQuiet(1_000, 1_800, 2_000)).isFalse(); // C2 busy on Spring MVC: 40 %
  }

  @Test
  void anUnknownCompilationTimeDoesNotHoldTheWarmUp() {
    assertThat(ClientChild.jitQuiet(-1, 5_000, 2_000)).isTrue();
    assertThat(ClientChild.jitQuiet(1_000, -1, 2_000)).isTrue();
  }

  @Test
  void aServersStatsLineCarriesItsCompilationTime() {
    ProcessMeters meters = new ProcessMeters();
    ProcessMeters.Snapshot origin = meters.snapshot();
    String stats = meters.snapshot().since(origin).format();
    assertThat(stats).matches("elapsedNs=\\d+ cpuNs=-?\\d+ allocBytes=-?\\d+ jitMs=-?\\d+");
    assertThat(meters.jitMillis()).isGreaterThanOrEqualTo(0); // HotSpot reports it
  }
}
