package io.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.LoadOutcome;
import io.courier.bench.driver.Workload;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SummaryTest {

  private static final SystemUnderTest REF = SystemCatalog.select(List.of("courier-tcp-kryo")).get(0);
  private static final SystemUnderTest OTHER = SystemCatalog.select(List.of("grpc-java")).get(0);
  private static final SystemUnderTest REST = SystemCatalog.select(List.of("spring-rest")).get(0);
  private static final CellSpec CELL = CellSpec.closed(Workload.GET_USER, 16, 1000, 1000);

  @Test
  void ratiosAreTakenWithinARoundThenSummarisedByMedianAndRange() {
    List<Measurement> ms = List.of(
        m(1, REF, 1000), m(1, OTHER, 500), m(1, REST, 250),
        m(2, REF, 2000), m(2, OTHER, 1200), m(2, REST, 400),
        m(3, REF, 1000), m(3, OTHER, 700), m(3, REST, 500));
    Summary summary = Summary.of(ms, List.of(REF, OTHER, REST), REF.name());
    Summary.Row other = summary.rows(CellKey.of(CELL)).get(1);
    assertThat(other.system()).isEqualTo(OTHER);
    assertThat(other.ratio().median()).isCloseTo(0.6, within(1e-9));
    assertThat(other.ratio().min()).isCloseTo(0.5, within(1e-9));
    assertThat(other.ratio().max()).isCloseTo(0.7, within(1e-9));
    assertThat(other.ops().median()).isCloseTo(700, within(1e-6));
    assertThat(other.restRatio().median()).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void aFailedRoundIsLeftOutOfTheRatios() {
    List<Measurement> ms = List.of(m(1, REF, 1000), m(1, OTHER, 500),
        Measurement.failed("t", 2, OTHER, CELL, "boom"), m(2, REF, 1000));
    Summary.Row other = Summary.of(ms, List.of(REF, OTHER), REF.name()).rows(CellKey.of(CELL)).get(1);
    assertThat(other.ratio().n()).isEqualTo(1);
    assertThat(other.failures()).isEqualTo(1);
    assertThat(other.lastError()).isEqualTo("boom");
  }

  @Test
  void wireBytesCountGrowthOfSocketsSeenTwiceAndWholeNewOnes() {
    assertThat(WireCounter.between(Map.of("a", 100L, "b", 50L), Map.of("a", 160L, "c", 30L))).isEqualTo(90);
    assertThat(WireCounter.between(null, Map.of("a", 1L))).isEqualTo(-1);
  }

  @Test
  void openLoopRatiosComeOnlyFromRoundsWhereBothKeptTheSchedule() {
    CellSpec open = CellSpec.openAtFraction(Workload.EXIST_USER, 64, 0.5, 1000, 1000);
    List<Measurement> ms = List.of(
        open(1, REF, open.withRate(1000), 1000, 2_000_000), open(1, OTHER, open.withRate(400), 400, 4_000_000),
        // round 2: OTHER completed 300 of 400/s: it fell behind, so its latency is no result
        open(2, REF, open.withRate(1000), 1000, 2_000_000), open(2, OTHER, open.withRate(400), 300, 90_000_000));
    Summary summary = Summary.of(ms, List.of(REF, OTHER), REF.name());
    CellKey key = CellKey.of(open);
    assertThat(summary.keys()).containsExactly(key); // keyed by the fraction, though the rates differ
    Summary.Row other = summary.row(key, OTHER.name());
    assertThat(other.notSustained()).isEqualTo(1);
    assertThat(other.couldNotSustain()).isFalse();
    assertThat(other.ratio().n()).isEqualTo(1);
    assertThat(other.ratio().median()).isCloseTo(2.0, within(0.05));
    assertThat(other.p99()).isLessThan(10_000_000); // the round that fell behind is left out of the latencies
  }

  @Test
  void anOpenLoopCellWithRefusedCallsIsAResultThatDidNotSustainItsRate() {
    CellSpec cell = CellSpec.open(Workload.EXIST_USER, 64, 1000, 1, 1000);
    LoadOutcome.Schedule s = new LoadOutcome.Schedule(1000, 1000, 1_000_000, 0, 10, true);
    Measurement refused = new Measurement("t", 1, REF, cell, 990, 10, null, 1_000_000_000L, 1, 1, 1, 1, 1, 10, 5000, 1,
        s, "RESOURCE_EXHAUSTED: server is busy", hist(990));
    assertThat(refused.ok()).isTrue();
    assertThat(refused.sustained()).isFalse();
    Measurement closed = new Measurement("t", 1, REF, CELL, 990, 10, "10 failed calls", 1_000_000_000L, 1, 1, 1, 1, 1,
        10, 5000, 1, null, "boom", hist(990));
    assertThat(closed.ok()).isFalse();
  }

  @Test
  void aStoredMeasurementReadsBackTheSame() {
    LoadOutcome.Schedule schedule = new LoadOutcome.Schedule(400, 4000, 3_000_000, 2, 17, true);
    Measurement m = new Measurement("main-r2-grpc-java", 2, OTHER, CellSpec.open(Workload.LIST_USER, 64, 400, 5, 10),
        3990, 0, null, 10_000_000_000L, 5, 6, 7, 8, 9, 1200, 5400, 1, schedule, null, hist(3990));
    Measurement back = MeasurementStore.parse(MeasurementStore.format(m));
    assertThat(back).usingRecursiveComparison().ignoringFields("latencies", "system").isEqualTo(m);
    assertThat(back.system().name()).isEqualTo(OTHER.name());
    assertThat(back.latencies()).isEqualTo(m.latencies());
    Measurement failed = Measurement.failed("main-r1-thrift", 1, OTHER, CELL, "no call completed\ttab");
    assertThat(MeasurementStore.parse(MeasurementStore.format(failed)).error()).isEqualTo(failed.error());
  }

  @Test
  void aLineCutOffInTheMiddleIsNotReadAndIsDroppedBeforeAResumedRunAppends(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    MeasurementStore store = new MeasurementStore(dir);
    store.append(List.of(m(1, REF, 1000), m(1, OTHER, 500)));
    String whole = MeasurementStore.format(m(2, REF, 900));
    java.nio.file.Files.writeString(dir.resolve(MeasurementStore.FILE), whole.substring(0, whole.length() / 2),
        java.nio.file.StandardOpenOption.APPEND); // a harness killed while it wrote, or one still writing
    assertThat(store.load()).hasSize(2);
    store.dropPartialLine();
    store.append(List.of(m(2, REF, 900)));
    assertThat(store.load()).hasSize(3).extracting(Measurement::round).containsExactly(1, 1, 2);
  }

  private static Histogram hist(long calls) {
    Histogram h = new Histogram(3);
    for (int i = 0; i < calls; i++) {
      h.recordValue(1000 + i);
    }
    return h;
  }

  private static Measurement open(int round, SystemUnderTest system, CellSpec cell, long calls, long latency) {
    Histogram h = new Histogram(3);
    h.recordValueWithCount(latency, calls);
    LoadOutcome.Schedule s = new LoadOutcome.Schedule(cell.rate(), calls, 1_000_000, 0, 10, false);
    return new Measurement("t", round, system, cell, calls, 0, null, 1_000_000_000L, 1, 1, 1, 1, 1, 10, 5000, 1, s,
        null, h);
  }

  private static Measurement m(int round, SystemUnderTest system, long calls) {
    return new Measurement("t", round, system, CELL, calls, 0, null, 1_000_000_000L, calls * 1000, calls * 1000, 0, 0,
        0, 10, 5000, 1, null, null, hist(calls));
  }
}
