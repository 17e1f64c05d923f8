package io.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ETA before anything has run: what the plan costs by the priors. */
class ProgressTest {

  private final Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()));
  private final SystemUnderTest courier = SystemCatalog.byName("courier-tcp-kryo");

  @Test
  void aCellIsEstimatedAtItsLeastWarmupPlusThreeSamplingStepsAndItsWindow() {
    CellSpec cell = CellSpec.closed(Workload.EXIST_USER, 16, 0, 5_000).warmingUntilSteady(5_000, 20_000, 1_000);
    Trial one = trial(List.of(cell), 2_000, 1);
    Trial two = trial(List.of(cell, cell), 2_000, 1);
    progress.plan(List.of(one));
    long oneCell = progress.millisLeft(false);
    Progress other = new Progress(new PrintStream(new ByteArrayOutputStream()));
    other.plan(List.of(two));
    // the second cell adds the least warm-up, three steps, the window and the per-cell overhead
    assertThat(other.millisLeft(false) - oneCell).isEqualTo(5_000 + 3 * 1_000 + 5_000 + 300);
  }

  @Test
  void theGuessNeverPassesTheWarmupCap() {
    CellSpec cell = CellSpec.closed(Workload.EXIST_USER, 16, 0, 2_000).warmingUntilSteady(1_500, 2_000, 300);
    progress.plan(List.of(trial(List.of(cell), 0, 1)));
    long estimate = progress.millisLeft(false);
    assertThat(progress.millisLeft(true)).isEqualTo(estimate); // least + 3 steps (2.4 s) is past the 2 s cap
  }

  @Test
  void theJvmWarmupIsGuessedAtFourRoundsWhenMoreAreAllowed() {
    CellSpec cell = CellSpec.closed(Workload.EXIST_USER, 16, 0, 2_000);
    Trial oneRound = trial(List.of(cell), 2_000, 1);
    Trial twelveRounds = trial(List.of(cell), 2_000, 12);
    assertThat(oneRound.jvmWarmupMillis()).isEqualTo(2_000);
    assertThat(twelveRounds.jvmWarmupMillis()).isEqualTo(4 * 2_000);
  }

  private Trial trial(List<CellSpec> cells, long jvmWarmupMillis, int rounds) {
    return new Trial("main", 1, courier, cells, null, jvmWarmupMillis, rounds);
  }
}
