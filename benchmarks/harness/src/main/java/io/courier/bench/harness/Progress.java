package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * The console while a run goes on: what runs now, one table row per finished cell, and how long is left. The
 * estimate is the cells' own time still to come plus, per trial still to come, the mean start-up and
 * shut-down overhead measured so far.
 */
final class Progress {

  /** Assumed per-trial overhead (two JVM starts, connect, stop) until one has been measured. */
  private static final long INITIAL_OVERHEAD_MILLIS = 5_000;

  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private int totalCells;
  private int doneCells;
  private int trialsLeft;
  private long cellMillisLeft;
  private long overheadMillis;
  private int trialsDone;

  Progress(PrintStream out) {
    this.out = out;
  }

  /** Adds planned work (called per phase, once its cells are known). */
  synchronized void plan(int trials, int cells, long cellMillis) {
    trialsLeft += trials;
    totalCells += cells;
    cellMillisLeft += cellMillis;
  }

  /** Estimated time left, in milliseconds. */
  synchronized long millisLeft() {
    long perTrial = trialsDone == 0 ? INITIAL_OVERHEAD_MILLIS : overheadMillis / trialsDone;
    return cellMillisLeft + trialsLeft * perTrial;
  }

  synchronized void header(String text) {
    out.println(text);
  }

  synchronized void cellStarted(int round, SystemUnderTest system, CellSpec cell) {
    out.printf("  %s  round %d · %-22s %-26s running (%s, ~%s left)%n", counter(doneCells + 1), round, system.name(),
        cell.label(), duration(elapsedMillis()), duration(millisLeft()));
  }

  synchronized void cellFinished(Measurement m) {
    doneCells++;
    cellMillisLeft -= m.cell().warmupMillis() + m.cell().measureMillis();
    if (!m.ok()) {
      out.printf("  %s  round %d · %-22s %-26s FAILED: %s%n", counter(doneCells), m.round(), m.system().name(),
          m.cell().label(), m.error());
      return;
    }
    out.printf("  %s  round %d · %-22s %-26s %11s ops/s  p50 %8s  p99 %8s  p99.9 %8s%n", counter(doneCells),
        m.round(),
        m.system().name(), m.cell().label(), Format.number(m.opsPerSecond()), Format.latency(m.latencyNanos(50)),
        Format.latency(m.latencyNanos(99)), Format.latency(m.latencyNanos(99.9)));
  }

  synchronized void trialFinished(Trial trial, long wallMillis) {
    trialsLeft--;
    trialsDone++;
    overheadMillis += Math.max(0, wallMillis - trial.cellMillis());
  }

  private String counter(int cell) {
    int width = String.valueOf(Math.max(1, totalCells)).length();
    return String.format("[%" + width + "d/%d]", Math.min(cell, totalCells), totalCells);
  }

  long elapsedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  static String duration(long millis) {
    if (millis < 10_000 && millis % 1000 != 0) {
      return millis < 1000 ? millis + "ms" : String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long s = Math.max(0, millis) / 1000;
    return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
  }
}
