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
    CellSpec closed = CellSpec.closed(Workload.ECHO, 16, 0, 1);
    assertThat(CellSpec.parse(closed.format())).isEqualTo(closed);
    assertThat(open.label()).isEqualTo("listUser open 1235/s");
  }

  @Test
  void aResultLineCarriesTheHistogramAndTheFirstError() {
    Histogram h = new Histogram(3);
    h.recordValue(1500);
    h.recordValue(90_000);
    CellReport report = new CellReport(3, CellSpec.closed(Workload.GET_USER, 16, 10, 20), 2, 1,
        "java.io.IOException: broken pipe = bad", 20_000_000, 5_000_000, 4096, h);
    CellReport back = CellReport.parse(report.format());
    assertThat(back.index()).isEqualTo(3);
    assertThat(back.spec()).isEqualTo(report.spec());
    assertThat(back.calls()).isEqualTo(2);
    assertThat(back.errors()).isEqualTo(1);
    assertThat(back.firstError()).isEqualTo("java.io.IOException: broken pipe = bad");
    assertThat(back.allocatedBytes()).isEqualTo(4096);
    assertThat(back.latencies()).isEqualTo(h);
  }

  @Test
  void badCellsAreRefusedWithTheExpectation() {
    assertThatThrownBy(() -> CellSpec.closed(Workload.GET_USER, 0, 1, 1)).hasMessageContaining(">= 1");
    assertThatThrownBy(() -> CellSpec.open(Workload.GET_USER, 4, 0, 1, 1)).hasMessageContaining("> 0");
    assertThatThrownBy(() -> Workload.of("getUsers")).hasMessageContaining("getUser");
  }
}
