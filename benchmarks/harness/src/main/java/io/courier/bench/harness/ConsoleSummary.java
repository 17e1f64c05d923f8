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
    // full mode with arguments that override its settings is not a full run: say so
    String mode = info.mode().equals("full") && !info.arguments().isEmpty()
        ? "full-mode defaults with the given arguments" : info.mode() + " mode";
    out.printf("Results (%s, %s). Medians over rounds; ratio = median of per-round ratios to %s (min–max).%n",
        mode, info.started().toLocalDate(), summary.reference());
    out.println("Closed loop: ratio of throughput (higher is better). Open loop: ratio of p99 latency (lower is"
        + " better). CPU and allocation per call: client + server.");
    for (CellKey key : summary.keys()) {
      out.println();
      out.println(key.label());
      boolean closed = key.mode() == CellSpec.Mode.CLOSED;
      out.printf("  %-22s %11s  %-20s %9s %9s %9s %9s  %-19s %10s  %-21s%n", "system", "calls/s",
          closed ? "ratio (spread)" : "p99 ratio (spread)", "p50", "p90", "p99", "p99.9", "CPU/call cli+srv",
          "wire/call", "alloc/call cli+srv");
      for (Summary.Row row : summary.rows(key)) {
        if (!row.measured()) {
          out.printf("  %-22s FAILED (%d): %s%n", row.system().name(), row.failures(), row.lastError());
          continue;
        }
        out.printf("  %-22s %11s  %-20s %9s %9s %9s %9s  %-19s %10s  %-21s%s%n", row.system().name(),
            Format.number(row.ops().median()), row.ratio().ratioText(), Format.latency(row.p50()),
            Format.latency(row.p90()), Format.latency(row.p99()), Format.latency(row.p999()),
            Format.cpu(row.clientCpuPerCall()) + " + " + Format.cpu(row.serverCpuPerCall()),
            Format.bytes(row.wireBytesPerCall()),
            Format.bytes(row.clientAllocPerCall()) + " + " + Format.bytes(row.serverAllocPerCall()),
            row.failures() > 0 ? "  (" + row.failures() + " failed)" : "");
      }
    }
    printRestVersusRpc(summary);
    printComparisons(summary);
    if (!failures.isEmpty()) {
      out.println();
      out.println("Failed cells: " + failures.size() + " (see the logs folder)");
    }
  }

  /** Courier REST against Courier RPC and against Spring REST, per closed-loop cell, with the spread over rounds. */
  private void printComparisons(Summary summary) {
    List<SystemCatalog.Comparison> shown = SystemCatalog.COMPARISONS.stream().filter(c -> summary.keys().stream()
        .anyMatch(k -> summary.comparison(k, c.numerator(), c.denominator()).known())).toList();
    if (shown.isEmpty()) {
      return;
    }
    out.println();
    out.println("Courier REST versus RPC: throughput ratio in the same round, median (min–max over rounds), closed loop");
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
