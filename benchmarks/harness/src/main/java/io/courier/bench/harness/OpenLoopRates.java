package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open-loop rates: given in calls per second, or fractions of the slowest system's saturation measured in
 * the closed-loop phase of the same run (a system's saturation on a workload is its best median throughput over
 * the concurrencies tried), so that every system can keep up with every rate.
 */
final class OpenLoopRates {

  private OpenLoopRates() {}

  /**
   * Rates per workload: the given ones, or fractions of saturations in {@code closed} (null when rates are given).
   * A workload without closed-loop results to derive them from is left out, with a note.
   */
  static Map<Workload, List<Double>> plan(HarnessOptions options, List<SystemUnderTest> systems, Summary closed,
      List<String> notes) {
    Map<Workload, List<Double>> rates = new LinkedHashMap<>();
    for (Workload w : options.openWorkloads()) {
      if (!options.rates().isEmpty() || closed == null) {
        rates.put(w, options.rates());
        continue;
      }
      double slowest = Double.MAX_VALUE;
      String slowestSystem = null;
      for (SystemUnderTest s : systems) {
        double saturation = 0;
        for (CellKey key : closed.keys()) {
          if (key.workload() != w || key.mode() != CellSpec.Mode.CLOSED) {
            continue;
          }
          for (Summary.Row row : closed.rows(key)) {
            if (row.system().name().equals(s.name()) && row.ops().known()) {
              saturation = Math.max(saturation, row.ops().median());
            }
          }
        }
        if (saturation > 0 && saturation < slowest) {
          slowest = saturation;
          slowestSystem = s.name();
        }
      }
      if (slowestSystem == null) {
        notes.add("open loop skipped for " + w.id() + ": no closed-loop result to size its rates (use --rates)");
        continue;
      }
      List<Double> list = new ArrayList<>();
      for (double f : options.rateFractions()) {
        list.add((double) Math.max(1, Math.round(f * slowest)));
      }
      notes.add(String.format(java.util.Locale.ROOT, "open-loop rates for %s: %s calls/s (%s of %s's saturation, %,.0f calls/s)",
          w.id(), list.stream().map(r -> String.valueOf(Math.round(r))).toList(), options.rateFractions(),
          slowestSystem, slowest));
      rates.put(w, list);
    }
    return rates;
  }
}
