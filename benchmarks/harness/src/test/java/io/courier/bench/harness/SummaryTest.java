package io.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.courier.bench.driver.CellSpec;
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
        Measurement.failed(2, OTHER, CELL, "boom"), m(2, REF, 1000));
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

  private static Measurement m(int round, SystemUnderTest system, long calls) {
    Histogram h = new Histogram(3);
    for (int i = 0; i < calls; i++) {
      h.recordValue(1000 + i);
    }
    return new Measurement(round, system, CELL, calls, 0, null, 1_000_000_000L, calls * 1000, calls * 1000, 0, 0, 0,
        10, h);
  }
}
