package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import java.io.PrintStream;
import java.util.List;

/** The tables printed at the end of a run: per cell, every system's medians and its ratio with spread. */
final class ConsoleSummary {

  private final PrintStream out;

  ConsoleSummary(PrintStream out) {
    this.out = out;
  }

  void print(Summary summary, RunInfo info, List<String> failures) {
    out.println();
    out.printf("Results (%s mode, %s). Medians over rounds; ratio = median of per-round ratios to %s (min–max).%n",
        info.mode(), info.started().toLocalDate(), summary.reference());
    out.println("Closed loop: ratio of throughput (higher is better). Open loop: ratio of p99 latency (lower is"
        + " better), only between rounds where both kept the schedule. CPU and allocation per call: client + server."
        + " Warm-up: median; '!' where a round's warm-up hit its cap without the throughput settling.");
    for (CellKey key : summary.keys()) {
      out.println();
      out.println(key.label());
      boolean closed = key.mode() == CellSpec.Mode.CLOSED;
      if (closed) {
        out.printf("  %-24s %11s  %-20s %9s %9s %9s %9s  %-19s %10s  %-21s %8s%n", "system", "calls/s",
            "ratio (spread)", "p50", "p90", "p99", "p99.9", "CPU/call cli+srv", "wire/call", "alloc/call cli+srv",
            "warm-up");
      } else {
        out.printf("  %-24s %9s %11s %9s  %-20s %9s %9s %9s %9s  %-19s %8s%n", "system", "rate", "achieved",
            "max lag", "p99 ratio (spread)", "p50", "p90", "p99", "p99.9", "CPU/call cli+srv", "warm-up");
      }
      for (Summary.Row row : summary.rows(key)) {
        if (!row.measured()) {
          out.printf("  %-24s FAILED (%d): %s%n", row.system().name(), row.failures(), row.lastError());
          continue;
        }
        String warm = warmup(row);
        String failed = row.failures() > 0 ? "  (" + row.failures() + " failed)" : "";
        if (closed) {
          out.printf("  %-24s %11s  %-20s %9s %9s %9s %9s  %-19s %10s  %-21s %8s%s%n", row.system().name(),
              Format.number(row.ops().median()), row.ratio().ratioText(), Format.latency(row.p50()),
              Format.latency(row.p90()), Format.latency(row.p99()), Format.latency(row.p999()),
              Format.cpu(row.clientCpuPerCall()) + " + " + Format.cpu(row.serverCpuPerCall()),
              Format.bytes(row.wireBytesPerCall()),
              Format.bytes(row.clientAllocPerCall()) + " + " + Format.bytes(row.serverAllocPerCall()), warm, failed);
        } else if (row.couldNotSustain()) {
          long refused = row.runs().stream().mapToLong(Measurement::errors).sum();
          out.printf("  %-24s could not sustain %s/s: achieved %s/s, schedule lag up to %s%s %8s%s%n",
              row.system().name(), Format.number(row.rate()), Format.number(row.ops().median()),
              Format.latency(row.maxLagNanos()), refused > 0 ? ", " + refused + " calls failed" : "", warm, failed);
        } else {
          out.printf("  %-24s %9s %11s %9s  %-20s %9s %9s %9s %9s  %-19s %8s%s%s%n", row.system().name(),
              Format.number(row.rate()), Format.number(row.ops().median()), Format.latency(row.maxLagNanos()),
              row.ratio().ratioText(), Format.latency(row.p50()), Format.latency(row.p90()),
              Format.latency(row.p99()), Format.latency(row.p999()),
              Format.cpu(row.clientCpuPerCall()) + " + " + Format.cpu(row.serverCpuPerCall()), warm,
              row.notSustained() > 0 ? "  (fell behind in " + row.notSustained() + " of " + row.runs().size()
                  + " rounds)" : "", failed);
        }
      }
    }
    printRestVersusRpc(summary);
    for (SystemCatalog.Group group : SystemCatalog.Group.values()) {
      printComparisons(summary, group);
    }
    printRestCosts(summary);
    long unsettled = summary.allRows().stream().filter(r -> r.unsettled() > 0).count();
    if (unsettled > 0) {
      out.println();
      out.println("Warm-up: " + unsettled + " system × cell row(s) had a round whose throughput did not settle (±5 %"
          + " over 5 samples) before the cap; they are measured anyway and marked '!'.");
    }
    if (!failures.isEmpty()) {
      out.println();
      out.println("Failed cells: " + failures.size() + " (see the logs folder)");
    }
  }

  static String warmup(Summary.Row row) {
    if (row.warmupMillis() < 0) {
      return "–";
    }
    return Progress.duration(Math.round(row.warmupMillis())) + (row.unsettled() > 0 ? "!" : "");
  }

  /** One group of {@link SystemCatalog#COMPARISONS}, per closed-loop cell, with the spread over rounds. */
  private void printComparisons(Summary summary, SystemCatalog.Group group) {
    List<SystemCatalog.Comparison> shown = SystemCatalog.COMPARISONS.stream().filter(c -> c.group() == group)
        .filter(c -> summary.keys().stream().anyMatch(k -> summary.comparison(k, c.numerator(), c.denominator())
            .known())).toList();
    if (shown.isEmpty()) {
      return;
    }
    out.println();
    out.println(group.title() + ": throughput ratio in the same round, median (min–max over rounds), closed loop");
    StringBuilder header = new StringBuilder(String.format("  %-16s", "cell"));
    for (SystemCatalog.Comparison c : shown) {
      header.append(String.format("  %-22s", c.label()));
    }
    out.println(header);
    for (CellKey key : summary.keys()) {
      if (key.mode() != CellSpec.Mode.CLOSED) {
        continue;
      }
      StringBuilder line = new StringBuilder(String.format("  %-16s", key.shortLabel()));
      for (SystemCatalog.Comparison c : shown) {
        line.append(String.format("  %-22s", summary.comparison(key, c.numerator(), c.denominator()).ratioText()));
      }
      out.println(line);
    }
    for (SystemCatalog.Comparison c : shown) {
      out.println("  " + c.label() + ": " + c.numerator() + " ÷ " + c.denominator() + " (" + c.meaning() + ")");
    }
  }

  /** Client and server CPU per call of the REST systems whose clients and servers cross. */
  private void printRestCosts(Summary summary) {
    List<String> names = SystemCatalog.REST_COST_SYSTEMS.stream().filter(n -> summary.allRows().stream()
        .anyMatch(r -> r.system().name().equals(n) && r.measured())).toList();
    if (names.size() < 2 || names.stream().noneMatch(n -> n.startsWith("cross-"))) {
      return;
    }
    out.println();
    out.println("REST client and server costs: CPU per call, client + server (medians), closed loop");
    StringBuilder header = new StringBuilder(String.format("  %-16s", "cell"));
    names.forEach(n -> header.append(String.format("  %-24s", n)));
    out.println(header);
    for (CellKey key : summary.keys()) {
      if (key.mode() != CellSpec.Mode.CLOSED) {
        continue;
      }
      StringBuilder line = new StringBuilder(String.format("  %-16s", key.shortLabel()));
      for (String n : names) {
        Summary.Row r = summary.row(key, n);
        line.append(String.format("  %-24s", r == null ? "–"
            : Format.cpu(r.clientCpuPerCall()) + " + " + Format.cpu(r.serverCpuPerCall())));
      }
      out.println(line);
    }
    out.println("  clients: spring-rest RestClient on HttpClient 5; spring-rest-jdk and cross-jdk-to-courier the JDK"
        + " HttpClient; cross-courier-to-spring and courier-rest-h1 Courier's. servers: Spring MVC on Tomcat for the"
        + " first three, Courier's REST binding for the last two");
  }

  private void printRestVersusRpc(Summary summary) {
    boolean any = summary.allRows().stream().anyMatch(r -> r.system().name().equals(SystemCatalog.REST_BASELINE)
        && r.measured());
    boolean rpc = summary.allRows().stream()
        .anyMatch(r -> r.system().kind() == SystemUnderTest.Kind.RPC && r.restRatio().known());
    if (!any || !rpc) {
      return; // no baseline, or only REST systems were run: nothing to list
    }
    out.println();
    out.println("REST versus RPC: throughput ÷ " + SystemCatalog.REST_BASELINE + "'s in the same round (closed loop)");
    for (CellKey key : summary.keys()) {
      if (key.mode() != CellSpec.Mode.CLOSED) {
        continue;
      }
      StringBuilder line = new StringBuilder(String.format("  %-16s", key.shortLabel()));
      for (Summary.Row row : summary.rows(key)) {
        if (row.system().kind() == SystemUnderTest.Kind.RPC && row.restRatio().known()) {
          line.append(String.format("  %s %s", row.system().name(), Format.ratio(row.restRatio().median())));
        }
      }
      out.println(line);
    }
  }
}
