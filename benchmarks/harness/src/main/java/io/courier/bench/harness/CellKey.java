package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.Workload;
import java.util.Locale;

/**
 * What makes two measurements comparable across systems and rounds: the workload, the loop and its setting — the
 * concurrency in closed loop; in open loop the fraction of each system's own saturation (so the absolute rate
 * differs by system), or, for the common rate, the rate itself.
 */
public record CellKey(Workload workload, CellSpec.Mode mode, int concurrency, double fraction, double rate)
    implements Comparable<CellKey> {

  static CellKey of(CellSpec cell) {
    if (cell.mode() == CellSpec.Mode.CLOSED) {
      return new CellKey(cell.workload(), cell.mode(), cell.concurrency(), 0, 0);
    }
    return cell.fraction() > 0 ? new CellKey(cell.workload(), cell.mode(), 0, cell.fraction(), 0)
        : new CellKey(cell.workload(), cell.mode(), 0, 0, cell.rate());
  }

  public boolean ownFraction() {
    return mode == CellSpec.Mode.OPEN && fraction > 0;
  }

  public String label() {
    if (mode == CellSpec.Mode.CLOSED) {
      return workload.id() + " · closed loop · concurrency " + concurrency;
    }
    return ownFraction() ? workload.id() + " · open loop · " + percent() + " of each system's own saturation"
        : workload.id() + " · open loop · " + Format.number(rate) + " calls/s for every system";
  }

  public String shortLabel() {
    if (mode == CellSpec.Mode.CLOSED) {
      return workload.id() + " c" + concurrency;
    }
    return ownFraction() ? workload.id() + " @" + percent() : workload.id() + " @" + Math.round(rate) + "/s";
  }

  private String percent() {
    return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
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
    if (c == 0) {
      c = Boolean.compare(!ownFraction(), !o.ownFraction()); // own fractions first, then the common rate
    }
    if (c == 0) {
      c = Double.compare(fraction, o.fraction);
    }
    return c != 0 ? c : Double.compare(rate, o.rate);
  }
}
