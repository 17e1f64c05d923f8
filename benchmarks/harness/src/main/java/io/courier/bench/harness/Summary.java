package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * The results per system and cell across rounds. Absolute values are medians over rounds; the ratios are taken
 * round by round against the reference system's result in the same round, then summarised as a median with
 * its range, which is what the benchmark reports. In closed loop the ratio is of throughput (higher is better);
 * in open loop it is of p99 latency (lower is better), taken only between rounds in which both systems kept the
 * schedule: a cell that could not sustain its rate has no latency worth comparing.
 */
public final class Summary {

  /**
   * One system on one cell.
   *
   * @param warmupMillis median warm-up over rounds (-1 unknown); {@code unsettled}: rounds whose warm-up hit the cap
   * @param rate open loop: median target rate (own fractions differ by system); {@code notSustained}: rounds that
   *     could not keep it; {@code maxLagNanos}: largest schedule lag of any round
   */
  public record Row(SystemUnderTest system, CellKey key, List<Measurement> runs, int failures, String lastError,
      Spread ops, Spread ratio, Spread restRatio, double p50, double p90, double p99, double p999,
      double clientCpuPerCall, double serverCpuPerCall, double wireBytesPerCall, double clientAllocPerCall,
      double serverAllocPerCall, Histogram merged, double warmupMillis, int unsettled, double rate,
      int notSustained, long maxLagNanos) {

    public boolean measured() {
      return !runs.isEmpty();
    }

    /** Open loop: whether no round kept the schedule, so the row reports "could not sustain" and no latency. */
    public boolean couldNotSustain() {
      return key.mode() == CellSpec.Mode.OPEN && measured() && notSustained == runs.size();
    }
  }

  private final Map<CellKey, List<Row>> byKey = new LinkedHashMap<>();
  private final String reference;

  private Summary(String reference) {
    this.reference = reference;
  }

  public static Summary of(List<Measurement> measurements, List<SystemUnderTest> systems, String reference) {
    Summary summary = new Summary(reference);
    TreeSet<CellKey> keys = new TreeSet<>();
    measurements.forEach(m -> keys.add(m.key()));
    for (CellKey key : keys) {
      List<Row> rows = new ArrayList<>();
      for (SystemUnderTest system : systems) {
        List<Measurement> all = measurements.stream()
            .filter(m -> m.system().name().equals(system.name()) && m.key().equals(key)).toList();
        if (!all.isEmpty()) {
          rows.add(row(system, key, all, measurements, reference));
        }
      }
      summary.byKey.put(key, rows);
    }
    return summary;
  }

  private static Row row(SystemUnderTest system, CellKey key, List<Measurement> all, List<Measurement> everything,
      String reference) {
    List<Measurement> ok = all.stream().filter(Measurement::ok).toList();
    int failures = all.size() - ok.size();
    String lastError = all.stream().filter(m -> !m.ok()).map(Measurement::error).reduce((a, b) -> b).orElse(null);
    List<Double> ratios = new ArrayList<>();
    List<Double> restRatios = new ArrayList<>();
    for (Measurement m : ok) {
      ratios.add(ratio(key, m, sameRound(everything, reference, m)));
      restRatios.add(ratio(key, m, sameRound(everything, SystemCatalog.REST_BASELINE, m)));
    }
    // latencies of an open-loop cell that fell behind measure its backlog, not the system: left out when others kept
    List<Measurement> kept = ok.stream().filter(Measurement::sustained).toList();
    List<Measurement> forLatency = kept.isEmpty() ? ok : kept;
    Histogram merged = new Histogram(3);
    forLatency.forEach(m -> merged.add(m.latencies()));
    int unsettled = (int) ok.stream().filter(Measurement::unsettled).count();
    int notSustained = (int) ok.stream().filter(m -> !m.sustained()).count();
    long maxLag = ok.stream().filter(m -> m.schedule() != null).mapToLong(m -> m.schedule().maxLagNanos()).max()
        .orElse(-1);
    return new Row(system, key, ok, failures, lastError, median(ok, Measurement::opsPerSecond), Spread.of(ratios),
        Spread.of(restRatios), median(forLatency, m -> m.latencyNanos(50)).median(),
        median(forLatency, m -> m.latencyNanos(90)).median(), median(forLatency, m -> m.latencyNanos(99)).median(),
        median(forLatency, m -> m.latencyNanos(99.9)).median(), median(ok, m -> m.perCall(m.clientCpuNanos())).median(),
        median(ok, m -> m.perCall(m.serverCpuNanos())).median(), median(ok, m -> m.perCall(m.wireBytes())).median(),
        median(ok, m -> m.perCall(m.clientAllocatedBytes())).median(),
        median(ok, m -> m.perCall(m.serverAllocatedBytes())).median(), merged,
        median(ok, m -> m.warmupMillis()).median(), unsettled,
        median(ok, m -> m.schedule() == null ? -1 : m.schedule().rate()).median(), notSustained, maxLag);
  }

  /** {@code m} ÷ {@code other} in the same round: throughput in closed loop; p99 in open loop, if both kept up. */
  private static Double ratio(CellKey key, Measurement m, Measurement other) {
    if (other == null) {
      return null;
    }
    if (key.mode() == CellSpec.Mode.CLOSED) {
      return m.opsPerSecond() / other.opsPerSecond();
    }
    return m.sustained() && other.sustained() ? (double) m.latencyNanos(99) / other.latencyNanos(99) : null;
  }

  private static Measurement sameRound(List<Measurement> everything, String system, Measurement m) {
    for (Measurement other : everything) {
      if (other.ok() && other.system().name().equals(system) && other.round() == m.round()
          && other.key().equals(m.key())) {
        return other;
      }
    }
    return null;
  }

  private static Spread median(List<Measurement> ms, ToDoubleFunction<Measurement> f) {
    List<Double> values = new ArrayList<>();
    ms.forEach(m -> values.add(f.applyAsDouble(m)));
    Spread s = Spread.of(values);
    return s.known() ? s : new Spread(-1, -1, -1, 0);
  }

  /**
   * {@code numerator}'s result ÷ {@code denominator}'s on {@code key}, taken round by round, as a median with its
   * range: throughput in closed loop, p99 latency in open loop (rounds where both kept up). Unknown if either did not
   * run.
   */
  public Spread comparison(CellKey key, String numerator, String denominator) {
    Row a = row(key, numerator);
    Row b = row(key, denominator);
    if (a == null || b == null) {
      return Spread.NONE;
    }
    List<Double> ratios = new ArrayList<>();
    for (Measurement m : a.runs()) {
      for (Measurement n : b.runs()) {
        if (n.round() == m.round()) {
          ratios.add(ratio(key, m, n));
        }
      }
    }
    return Spread.of(ratios);
  }

  /** The row of {@code system} on {@code key}, if it was measured. */
  public Row row(CellKey key, String system) {
    for (Row r : rows(key)) {
      if (r.system().name().equals(system) && r.measured()) {
        return r;
      }
    }
    return null;
  }

  public String reference() {
    return reference;
  }

  public List<CellKey> keys() {
    return List.copyOf(byKey.keySet());
  }

  public List<Row> rows(CellKey key) {
    return byKey.getOrDefault(key, List.of());
  }

  public List<Row> allRows() {
    List<Row> all = new ArrayList<>();
    byKey.values().forEach(all::addAll);
    return all;
  }
}
