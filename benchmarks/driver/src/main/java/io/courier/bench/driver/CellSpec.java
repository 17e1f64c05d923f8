package io.courier.bench.driver;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measurement a client child makes: a workload, closed loop at a concurrency or open loop at a rate, with its
 * warm-up policy and measured duration. Travels on the child's command line as {@code key=value} pairs joined by
 * commas.
 *
 * @param concurrency closed loop: the number of threads calling back to back; open loop: the most callers the
 *     driver may start (it starts them as the schedule needs them, see {@link OpenLoopDriver})
 * @param rate open loop: calls per second, issued on a fixed schedule; 0 in closed loop, and 0 in an open-loop cell
 *     whose rate the client sets from {@code fraction} (see {@link #ownFraction()})
 * @param fraction open loop: the fraction of the system's own saturation the rate stands for (0.25, 0.5, 0.75), or 0
 *     for a common absolute rate given in {@code rate}; 0 in closed loop
 * @param warmupMillis the least warm-up; with {@code stepMillis} 0, the whole warm-up
 * @param warmupCapMillis the most warm-up: a cell that has not settled by then is measured anyway, flagged
 * @param stepMillis the sampling interval of the steady-state check ({@link SteadyState}); 0 turns it off
 */
public record CellSpec(Workload workload, Mode mode, int concurrency, double rate, double fraction, long warmupMillis,
    long warmupCapMillis, long stepMillis, long measureMillis) {

  /** Closed loop: each thread calls again as soon as its call returns. Open loop: calls start on a schedule. */
  public enum Mode {
    CLOSED, OPEN;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public CellSpec {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
    if (mode == Mode.OPEN && !(rate > 0) && !(fraction > 0)) {
      throw new IllegalArgumentException("rate: " + rate + " and fraction: " + fraction
          + " (expected: one of them > 0 in open loop)");
    }
    if (warmupMillis < 0 || measureMillis <= 0 || stepMillis < 0) {
      throw new IllegalArgumentException("warmup/step/measure: " + warmupMillis + "/" + stepMillis + "/"
          + measureMillis + " ms (expected: >= 0 / >= 0 / > 0)");
    }
    warmupCapMillis = Math.max(warmupCapMillis, warmupMillis);
  }

  /** A fixed warm-up of {@code warmupMillis}, no steady-state check. */
  public static CellSpec closed(Workload workload, int concurrency, long warmupMillis, long measureMillis) {
    return new CellSpec(workload, Mode.CLOSED, concurrency, 0, 0, warmupMillis, warmupMillis, 0, measureMillis);
  }

  /** A fixed warm-up of {@code warmupMillis} at {@code rate} calls/s, no steady-state check. */
  public static CellSpec open(Workload workload, int maxCallers, double rate, long warmupMillis, long measureMillis) {
    return new CellSpec(workload, Mode.OPEN, maxCallers, rate, 0, warmupMillis, warmupMillis, 0, measureMillis);
  }

  /** The same cell warming up until steady: at least {@code min}, at most {@code cap}, sampled every {@code step}. */
  public CellSpec warmingUntilSteady(long min, long cap, long step) {
    return new CellSpec(workload, mode, concurrency, rate, fraction, min, cap, step, measureMillis);
  }

  /** An open-loop cell at {@code fraction} of the system's own saturation, which the client fills in. */
  public static CellSpec openAtFraction(Workload workload, int maxCallers, double fraction, long warmupMillis,
      long measureMillis) {
    return new CellSpec(workload, Mode.OPEN, maxCallers, 0, fraction, warmupMillis, warmupMillis, 0, measureMillis);
  }

  /** Whether the rate is a fraction of the system's own saturation (as opposed to a common absolute rate). */
  public boolean ownFraction() {
    return mode == Mode.OPEN && fraction > 0;
  }

  /** This cell at {@code rate} calls/s. */
  public CellSpec withRate(double rate) {
    return new CellSpec(workload, mode, concurrency, rate, fraction, warmupMillis, warmupCapMillis, stepMillis,
        measureMillis);
  }

  /** A short label, for example {@code getUser closed c16}, {@code existUser open 50% (5000/s)}. */
  public String label() {
    if (mode == Mode.CLOSED) {
      return workload.id() + " closed c" + concurrency;
    }
    String r = rate > 0 ? Math.round(rate) + "/s" : "?/s";
    return workload.id() + " open " + (fraction > 0 ? Math.round(fraction * 100) + "% (" + r + ")" : r);
  }

  public String format() {
    return "workload=" + workload.id() + ",mode=" + mode.id() + ",concurrency=" + concurrency + ",rate=" + rate
        + ",fraction=" + fraction + ",warmupMs=" + warmupMillis + ",warmupCapMs=" + warmupCapMillis + ",stepMs="
        + stepMillis + ",measureMs=" + measureMillis;
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
    long warmup = Long.parseLong(kv.get("warmupMs"));
    return new CellSpec(Workload.of(kv.get("workload")), Mode.valueOf(kv.get("mode").toUpperCase(Locale.ROOT)),
        Integer.parseInt(kv.get("concurrency")), Double.parseDouble(kv.getOrDefault("rate", "0")),
        Double.parseDouble(kv.getOrDefault("fraction", "0")), warmup,
        Long.parseLong(kv.getOrDefault("warmupCapMs", String.valueOf(warmup))),
        Long.parseLong(kv.getOrDefault("stepMs", "0")), Long.parseLong(kv.get("measureMs")));
  }
}
