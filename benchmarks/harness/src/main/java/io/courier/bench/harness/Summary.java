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
 * in open loop, where every system is offered the same rate, it is of p99 latency (lower is better).
 */
public final class Summary {

  /** One system on one cell. */
  public record Row(SystemUnderTest system, CellKey key, List<Measurement> runs, int failures, String lastError,
      Spread ops, Spread ratio, Spread restRatio, double p50, double p90, double p99, double p999,
      double clientCpuPerCall, double serverCpuPerCall, double wireBytesPerCall, double clientAllocPerCall,
      double serverAllocPerCall, Histogram merged) {

    public boolean measured() {
      return !runs.isEmpty();
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
      Measurement ref = sameRound(everything, reference, m);
      Measurement rest = sameRound(everything, SystemCatalog.REST_BASELINE, m);
      if (key.mode() == CellSpec.Mode.CLOSED) {
        ratios.add(ref == null ? null : m.opsPerSecond() / ref.opsPerSecond());
        restRatios.add(rest == null ? null : m.opsPerSecond() / rest.opsPerSecond());
      } else {
        ratios.add(ref == null ? null : (double) m.latencyNanos(99) / ref.latencyNanos(99));
        restRatios.add(rest == null ? null : (double) m.latencyNanos(99) / rest.latencyNanos(99));
      }
    }
    Histogram merged = new Histogram(3);
    ok.forEach(m -> merged.add(m.latencies()));
    return new Row(system, key, ok, failures, lastError, median(ok, Measurement::opsPerSecond), Spread.of(ratios),
        Spread.of(restRatios), median(ok, m -> m.latencyNanos(50)).median(),
        median(ok, m -> m.latencyNanos(90)).median(), median(ok, m -> m.latencyNanos(99)).median(),
        median(ok, m -> m.latencyNanos(99.9)).median(), median(ok, m -> m.perCall(m.clientCpuNanos())).median(),
        median(ok, m -> m.perCall(m.serverCpuNanos())).median(), median(ok, m -> m.perCall(m.wireBytes())).median(),
        median(ok, m -> m.perCall(m.clientAllocatedBytes())).median(),
        median(ok, m -> m.perCall(m.serverAllocatedBytes())).median(), merged);
  }

  private static Measurement sameRound(List<Measurement> everything, String system, Measurement m) {
    for (Measurement other : everything) {
      if (other.ok() && other.system().name().equals(system) && other.round() == m.round()
          && other.phase().equals(m.phase()) && other.key().equals(m.key())) {
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
   * {@code numerator}'s result ÷ {@code denominator}'s on {@code key}, taken round by round (same phase and round),
   * as a median with its range: throughput in closed loop, p99 latency in open loop. Unknown if either did not run.
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
        if (n.round() == m.round() && n.phase().equals(m.phase())) {
          ratios.add(key.mode() == CellSpec.Mode.CLOSED ? m.opsPerSecond() / n.opsPerSecond()
              : (double) m.latencyNanos(99) / n.latencyNanos(99));
        }
      }
    }
    return Spread.of(ratios);
  }

  private Row row(CellKey key, String system) {
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
