package io.courier.bench.driver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measurement a client child makes: a workload, closed loop at a concurrency or open loop at a rate, with
 * its warm-up and measured durations. Travels on the child's command line as {@code key=value} pairs joined by
 * commas.
 *
 * @param concurrency closed loop: the number of threads calling back to back; open loop: the number of threads
 *     that issue calls at their intended times (the most calls in flight at once)
 * @param rate open loop only: calls per second, issued on a fixed schedule; 0 for closed loop
 */
public record CellSpec(Workload workload, Mode mode, int concurrency, double rate, long warmupMillis,
    long measureMillis) {

  /** Closed loop: each thread calls again as soon as its call returns. Open loop: calls start on a schedule. */
  public enum Mode {
    CLOSED, OPEN;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public CellSpec {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
    if (mode == Mode.OPEN && !(rate > 0)) {
      throw new IllegalArgumentException("rate: " + rate + " (expected: > 0 in open loop)");
    }
    if (warmupMillis < 0 || measureMillis <= 0) {
      throw new IllegalArgumentException("warmup/measure: " + warmupMillis + "/" + measureMillis
          + " ms (expected: >= 0 / > 0)");
    }
  }

  public static CellSpec closed(Workload workload, int concurrency, long warmupMillis, long measureMillis) {
    return new CellSpec(workload, Mode.CLOSED, concurrency, 0, warmupMillis, measureMillis);
  }

  public static CellSpec open(Workload workload, int workers, double rate, long warmupMillis, long measureMillis) {
    return new CellSpec(workload, Mode.OPEN, workers, rate, warmupMillis, measureMillis);
  }

  /** A short label, for example {@code getUser closed c16} or {@code existUser open 5000/s}. */
  public String label() {
    return workload.id() + " " + mode.id() + (mode == Mode.CLOSED ? " c" + concurrency
        : " " + Math.round(rate) + "/s");
  }

  public String format() {
    return "workload=" + workload.id() + ",mode=" + mode.id() + ",concurrency=" + concurrency + ",rate=" + rate
        + ",warmupMs=" + warmupMillis + ",measureMs=" + measureMillis;
  }

  public static CellSpec parse(String text) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("cell: '" + text + "' (expected: key=value,key=value...)");
      }
      kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    return new CellSpec(Workload.of(kv.get("workload")), Mode.valueOf(kv.get("mode").toUpperCase(java.util.Locale.ROOT)),
        Integer.parseInt(kv.get("concurrency")), Double.parseDouble(kv.getOrDefault("rate", "0")),
        Long.parseLong(kv.get("warmupMs")), Long.parseLong(kv.get("measureMs")));
  }
}
