package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The console while a run goes on: what runs now, one line per finished cell, and how long is left.
 *
 * <p>The estimate covers every trial still planned. A trial costs its JVMs' start and stop, the client's JVM warm-up,
 * and per cell its warm-up, its window and a little handshaking. Warm-ups that wait for a steady throughput vary, so
 * they are estimated as the least warm-up plus the mean of what cells so far needed beyond it; start and stop as the
 * mean so far of the same family of jars. Before anything has run both come from priors: {@value #PRIOR_EXTRA_STEPS}
 * sampling steps beyond the least warm-up (what cells needed on average in the recorded runs: 3.0 s at 1 s steps in the
 * full run, 1.05 s at 300 ms steps in quick runs; with one step the first estimate of each was 16 % short), and a few
 * seconds of start-up, more for Spring Boot and Dubbo. A resumed run learns from the trials it loaded. The bound if no
 * cell settled before its cap is printed too.
 */
final class Progress {

  /** Per cell: the client's handshakes with the harness, starting and stopping its load. */
  private static final long CELL_OVERHEAD_MILLIS = 300;
  /** Before any cell has settled: the warm-up a cell needs beyond its least, in sampling steps. */
  static final int PRIOR_EXTRA_STEPS = 3;

  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final Set<String> pending = new LinkedHashSet<>();
  private final Map<String, Trial> planned = new HashMap<>();
  private final Map<String, long[]> overheadByFamily = new HashMap<>(); // {sum, count}
  private final long[] extraWarmup = new long[2]; // {sum of warm-up beyond the least, count}
  private int totalCells;
  private int doneCells;
  private Trial current;
  private long currentStartNanos;

  Progress(PrintStream out) {
    this.out = out;
  }

  /** Adds trials to the plan. */
  synchronized void plan(List<Trial> trials) {
    for (Trial t : trials) {
      Trial earlier = planned.get(t.id());
      if (earlier == null) {
        pending.add(t.id());
        planned.put(t.id(), t);
        totalCells += t.cells().size();
      } else if (pending.contains(t.id())) { // the same trial, its cells now known exactly (a common rate)
        planned.put(t.id(), t);
        totalCells += t.cells().size() - earlier.cells().size();
      }
    }
  }

  /** Learns from measurements of trials that already ran (a resumed run's). */
  synchronized void learn(List<Measurement> earlier) {
    Map<String, Long> startupByTrial = new HashMap<>();
    for (Measurement m : earlier) {
      learnWarmup(m);
      if (m.trialStartupMillis() > 0) {
        startupByTrial.put(m.trial() + "\u0000" + family(m.system()), m.trialStartupMillis());
      }
    }
    startupByTrial.forEach((k, v) -> add(overheadByFamily.computeIfAbsent(k.substring(k.indexOf('\u0000') + 1),
        f -> new long[2]), v + 1_000));
  }

  private void learnWarmup(Measurement m) {
    if (m.warmupMillis() >= 0 && m.cell().stepMillis() > 0) {
      extraWarmup[0] += Math.max(0, m.warmupMillis() - m.cell().warmupMillis());
      extraWarmup[1]++;
    }
  }

  private static void add(long[] meanOf, long value) {
    meanOf[0] += value;
    meanOf[1]++;
  }

  private static String family(SystemUnderTest s) {
    return s.serverModule() + "/" + s.clientModule();
  }

  /** Estimated time left, in milliseconds; {@code atCaps}: if every warm-up ran to its cap. */
  synchronized long millisLeft(boolean atCaps) {
    long left = 0;
    for (String id : pending) {
      Trial t = planned.get(id);
      long estimate = estimate(t, atCaps);
      if (t == current) {
        estimate = Math.max(0, estimate - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - currentStartNanos));
      }
      left += estimate;
    }
    return left;
  }

  private long estimate(Trial t, boolean atCaps) {
    long[] o = overheadByFamily.get(family(t.system()));
    long overhead = o != null && o[1] > 0 ? o[0] / o[1] : priorOverhead(t.system());
    long extra = extraWarmup[1] > 0 ? extraWarmup[0] / extraWarmup[1] : -1;
    long cells = 0;
    for (CellSpec c : t.cells()) {
      long warm = c.stepMillis() <= 0 ? c.warmupMillis()
          : atCaps ? c.warmupCapMillis()
          : Math.min(c.warmupCapMillis(), c.warmupMillis() + (extra >= 0 ? extra : PRIOR_EXTRA_STEPS * c.stepMillis()));
      cells += warm + c.measureMillis() + CELL_OVERHEAD_MILLIS;
    }
    return overhead + t.jvmWarmupMillis() + cells;
  }

  /** Start-up and shut-down of a trial's two JVMs before any has been measured (2 cores, pinned). */
  private static long priorOverhead(SystemUnderTest s) {
    long millis = 2_500;
    for (String module : List.of(s.serverModule(), s.clientModule())) {
      millis += switch (module) {
        case "spring" -> 2_500;
        case "dubbo" -> 1_500;
        default -> 300;
      };
    }
    return millis;
  }

  synchronized void header(String text) {
    out.println(text);
  }

  synchronized void trialStarted(Trial trial) {
    current = trial;
    currentStartNanos = System.nanoTime();
  }

  synchronized void jvmWarmed(Trial trial, long millis, String how) {
    out.printf("  %s  round %d · %-24s JVM warmed on %d workload(s) in %s%s%n", counter(doneCells), trial.round(),
        trial.system().name(), trial.cells().stream().map(CellSpec::workload).distinct().count(), duration(millis),
        how.isEmpty() ? "" : " (" + how + ")");
  }

  synchronized void cellStarted(int round, SystemUnderTest system, CellSpec cell) {
    out.printf("  %s  round %d · %-24s %-30s running (%s, ~%s left)%n", counter(doneCells + 1), round, system.name(),
        cell.label(), duration(elapsedMillis()), duration(millisLeft(false)));
  }

  synchronized void cellFinished(Measurement m) {
    doneCells++;
    learnWarmup(m);
    if (!m.ok()) {
      out.printf("  %s  round %d · %-24s %-30s FAILED: %s%n", counter(doneCells), m.round(), m.system().name(),
          m.cell().label(), m.error());
      return;
    }
    String warm = m.warmupMillis() < 0 ? "" : " warm-up " + duration(m.warmupMillis())
        + (m.unsettled() ? " (NOT SETTLED)" : "");
    if (m.schedule() != null && !m.sustained()) {
      out.printf("  %s  round %d · %-24s %-30s could not sustain %s/s: %s/s, lag %s%s%s%n", counter(doneCells),
          m.round(), m.system().name(), m.cell().label(), Format.number(m.schedule().rate()),
          Format.number(m.opsPerSecond()), Format.latency(m.schedule().maxLagNanos()),
          m.errors() > 0 ? ", " + m.errors() + " calls failed (" + m.firstError() + ")" : "", warm);
      return;
    }
    out.printf("  %s  round %d · %-24s %-30s %11s ops/s  p50 %8s  p99 %8s  p99.9 %8s%s%n", counter(doneCells),
        m.round(), m.system().name(), m.cell().label(), Format.number(m.opsPerSecond()),
        Format.latency(m.latencyNanos(50)), Format.latency(m.latencyNanos(99)), Format.latency(m.latencyNanos(99.9)),
        warm);
  }

  synchronized void trialFinished(Trial trial, long wallMillis, List<Measurement> results) {
    pending.remove(trial.id());
    current = null;
    long cellsMillis = 0;
    for (Measurement m : results) {
      if (m.warmupMillis() >= 0) {
        cellsMillis += m.warmupMillis() + m.cell().measureMillis() + CELL_OVERHEAD_MILLIS;
      }
    }
    if (results.stream().allMatch(Measurement::ok)) {
      add(overheadByFamily.computeIfAbsent(family(trial.system()), f -> new long[2]),
          Math.max(0, wallMillis - cellsMillis - trial.jvmWarmupMillis()));
    }
  }

  /** Trials done before (a resumed run): counted as done. */
  synchronized void skipped(Trial trial) {
    if (pending.remove(trial.id())) {
      doneCells += trial.cells().size();
    }
  }

  List<String> pendingIds() {
    return new ArrayList<>(pending);
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
    if (s >= 3600) {
      return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
    return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
  }
}
