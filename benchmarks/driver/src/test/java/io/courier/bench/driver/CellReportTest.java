package io.courier.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class CellReportTest {

  @Test
  void aCellTravelsOnTheCommandLineAndBack() {
    CellSpec open = CellSpec.open(Workload.LIST_USER, 64, 1234.5, 15_000, 20_000);
    assertThat(CellSpec.parse(open.format())).isEqualTo(open);
    CellSpec closed = CellSpec.closed(Workload.ECHO, 16, 0, 1).warmingUntilSteady(5_000, 60_000, 1_000);
    assertThat(CellSpec.parse(closed.format())).isEqualTo(closed);
    assertThat(closed.warmupCapMillis()).isEqualTo(60_000);
    assertThat(open.label()).isEqualTo("listUser open 1235/s");
    CellSpec half = CellSpec.openAtFraction(Workload.GET_USER, 1024, 0.5, 1, 2);
    assertThat(half.ownFraction()).isTrue();
    assertThat(CellSpec.parse(half.format())).isEqualTo(half);
    assertThat(half.withRate(5000).label()).isEqualTo("getUser open 50% (5000/s)");
  }

  @Test
  void aResultLineCarriesTheHistogramAndTheFirstError() {
    Histogram h = new Histogram(3);
    h.recordValue(1500);
    h.recordValue(90_000);
    CellReport report = new CellReport(3, CellSpec.closed(Workload.GET_USER, 16, 10, 20), 2, 1,
        "java.io.IOException: broken pipe = bad", 20_000_000, 5_000_000, 4096, 7_000, 1, null, h);
    CellReport back = CellReport.parse(report.format());
    assertThat(back.index()).isEqualTo(3);
    assertThat(back.spec()).isEqualTo(report.spec());
    assertThat(back.calls()).isEqualTo(2);
    assertThat(back.errors()).isEqualTo(1);
    assertThat(back.firstError()).isEqualTo("java.io.IOException: broken pipe = bad");
    assertThat(back.allocatedBytes()).isEqualTo(4096);
    assertThat(back.latencies()).isEqualTo(h);
    assertThat(back.warmupMillis()).isEqualTo(7_000);
    assertThat(back.settled()).isEqualTo(1);
    assertThat(back.schedule()).isNull();

    LoadOutcome.Schedule schedule = new LoadOutcome.Schedule(500, 2_500, 3_000_000, 4, 12, true);
    CellReport open = new CellReport(0, CellSpec.open(Workload.EXIST_USER, 64, 500, 1, 5_000), 2_490, 0, null,
        5_000_000_000L, 1, 1, 5_000, 0, schedule, h);
    assertThat(CellReport.parse(open.format()).schedule()).isEqualTo(schedule);
  }

  @Test
  void badCellsAreRefusedWithTheExpectation() {
    assertThatThrownBy(() -> CellSpec.closed(Workload.GET_USER, 0, 1, 1)).hasMessageContaining(">= 1");
    assertThatThrownBy(() -> CellSpec.open(Workload.GET_USER, 4, 0, 1, 1)).hasMessageContaining("> 0");
    assertThatThrownBy(() -> CellSpec.closed(Workload.GET_USER, 4, 1, 0)).hasMessageContaining("> 0");
    assertThatThrownBy(() -> Workload.of("getUsers")).hasMessageContaining("getUser");
  }
}
