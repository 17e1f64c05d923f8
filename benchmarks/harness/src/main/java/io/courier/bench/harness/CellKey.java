package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.Workload;

/** What makes two measurements comparable across systems and rounds: the workload, the loop and its setting. */
public record CellKey(Workload workload, CellSpec.Mode mode, int concurrency, double rate)
    implements Comparable<CellKey> {

  static CellKey of(CellSpec cell) {
    return cell.mode() == CellSpec.Mode.CLOSED
        ? new CellKey(cell.workload(), cell.mode(), cell.concurrency(), 0)
        : new CellKey(cell.workload(), cell.mode(), cell.concurrency(), cell.rate());
  }

  public String label() {
    return mode == CellSpec.Mode.CLOSED ? workload.id() + " · closed loop · concurrency " + concurrency
        : workload.id() + " · open loop · " + Math.round(rate) + " calls/s";
  }

  public String shortLabel() {
    return mode == CellSpec.Mode.CLOSED ? workload.id() + " c" + concurrency
        : workload.id() + " @" + Math.round(rate) + "/s";
  }

  @Override
  public int compareTo(CellKey o) {
    int c = mode.compareTo(o.mode);
    if (c == 0) {
      c = workload.compareTo(o.workload);
    }
    if (c == 0) {
      c = Integer.compare(concurrency, o.concurrency);
    }
    return c != 0 ? c : Double.compare(rate, o.rate);
  }
}
