package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, nothing fetched) with the run's
 * settings, per cell a throughput chart with spread and its table, the REST-versus-RPC ratios, latency
 * percentile curves, CPU, wire bytes and allocation per call, the open-loop results and every raw measurement.
 */
final class HtmlReport {

  private static final double[] CURVE = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99,
      99.25, 99.5, 99.75, 99.9, 99.95, 99.99};

  private final StringBuilder h = new StringBuilder();
  private final Map<String, String> colors = new HashMap<>();

  private HtmlReport(List<SystemUnderTest> systems) {
    for (int i = 0; i < systems.size(); i++) {
      colors.put(systems.get(i).name(), Svg.PALETTE[i % Svg.PALETTE.length]);
    }
  }

  static void write(Path file, RunInfo info, List<SystemUnderTest> systems, Summary summary,
      List<Measurement> measurements) throws IOException {
    HtmlReport r = new HtmlReport(systems);
    r.page(info, systems, summary, measurements);
    Files.writeString(file, r.h, StandardCharsets.UTF_8);
  }

  private void page(RunInfo info, List<SystemUnderTest> systems, Summary summary, List<Measurement> measurements) {
    h.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Courier benchmark — ")
        .append(esc(info.mode())).append(" mode, ").append(info.started().toLocalDate()).append("</title><style>")
        .append("body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}")
        .append("h1{font-size:24px}h2{margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}")
        .append("h3{margin:22px 0 6px}table{border-collapse:collapse;margin:8px 0;font-size:13px;display:block;")
        .append("overflow-x:auto;max-width:100%}")
        .append("th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}")
        .append("th:first-child,td:first-child{text-align:left}th{background:#f6f6f6}")
        .append(".meta td{text-align:left;white-space:normal}.banner{background:#fff4d6;border:1px solid #e8c66a;")
        .append("padding:8px 12px;border-radius:4px}.fail{color:#b00}.note{color:#555}details{margin:12px 0}")
        .append(".swatch{display:inline-block;width:10px;height:10px;margin-right:6px}")
        .append("</style></head><body>");
    h.append("<h1>Courier benchmark: REST versus RPC</h1>");
    if (!info.mode().equals("full")) {
      h.append("<p class='banner'><b>").append(esc(info.mode())).append(" mode</b>: short warm-up (")
          .append(esc(info.warmup())).append(") and measurement (").append(esc(info.measure()))
          .append(") per cell and few rounds. Good for checking the machinery and rough ratios; run full mode for"
              + " figures to publish.</p>");
    }
    meta(info, systems);
    howToRead(summary.reference());
    sameSerializer(summary);
    closedLoop(summary);
    restVersusRpc(summary);
    latencies(summary);
    costs(summary);
    openLoop(summary);
    raw(measurements);
    h.append("</body></html>\n");
  }

  private void meta(RunInfo info, List<SystemUnderTest> systems) {
    h.append("<table class='meta'>");
    row("started", info.started().toString());
    row("arguments", info.arguments().isEmpty() ? "(none: full mode)" : info.arguments());
    row("machine", info.cores() + " cores, " + info.cpuModel() + "; " + info.os());
    row("JVM", info.jvm() + "; " + String.join(" ", info.jvmFlags()));
    row("pinning", info.pinning());
    row("method", "client and server in separate JVMs started fresh per " + info.trialScope() + " and round; "
        + info.rounds() + " round(s), systems shuffled in every round; warm-up " + info.warmup() + "; measurement "
        + info.measure() + " per cell; open loop: calls on a fixed schedule that starts when the window opens, latency"
        + " from each call's intended start, as many caller threads as the calls in flight need; seed " + info.seed());
    row("wire bytes", info.wireMethod());
    row("CPU, allocation", "client: its whole process's CPU time and the heap bytes its threads allocated "
        + "(ThreadMXBean) over the window; server: the same, sampled by the server at the window's edges");
    for (String n : info.notes()) {
      row("note", n);
    }
    h.append("</table><h3>Systems</h3><table><tr><th>system</th><th>kind</th><th style='text-align:left'>what"
        + "</th><th style='text-align:left'>settings from</th></tr>");
    for (SystemUnderTest s : systems) {
      h.append("<tr><td>").append(swatch(s.name())).append(esc(s.name())).append("</td><td>")
          .append(s.kind().name().toLowerCase(java.util.Locale.ROOT)).append("</td><td style='text-align:left;"
              + "white-space:normal'>").append(esc(s.description())).append("</td><td style='text-align:left;"
              + "white-space:normal'>").append(esc(s.settings())).append("</td></tr>");
    }
    h.append("</table>");
  }

  private void howToRead(String reference) {
    h.append("<p class='note'>The machine is shared and noisy, so every result is also taken as a ratio to <b>")
        .append(esc(reference)).append("</b> measured in the same round; the tables give the median of those ratios"
            + " and their range over rounds (the whiskers in the charts). Absolute numbers are medians over rounds."
            + " Throughput ratios: higher is faster. Open-loop ratios are of p99 latency: lower is better.</p>");
  }

  private void closedLoop(Summary summary) {
    h.append("<h2>Closed loop: throughput and latency</h2>");
    for (CellKey key : summary.keys()) {
      if (key.mode() != CellSpec.Mode.CLOSED) {
        continue;
      }
      h.append("<h3>").append(esc(key.label())).append("</h3>");
      List<Svg.Bar> bars = new ArrayList<>();
      double reference = -1;
      double scale = 0; // the in-JVM direct call would flatten every other bar: it is drawn off scale
      for (Summary.Row r : summary.rows(key)) {
        if (r.measured() && r.system().needsServer()) {
          scale = Math.max(scale, r.ops().max());
        }
      }
      for (Summary.Row r : summary.rows(key)) {
        if (!r.measured()) {
          continue;
        }
        if (r.system().name().equals(summary.reference())) {
          reference = r.ops().median();
        }
        bars.add(new Svg.Bar(r.system().name(), r.ops().median(), r.ops().min(), r.ops().max(),
            color(r.system().name()), Format.number(r.ops().median()) + "/s · " + r.ratio().ratioText()));
      }
      h.append(Svg.bars(bars, "calls/s", reference, scale));
      table(summary, key);
    }
  }

  private void table(Summary summary, CellKey key) {
    boolean closed = key.mode() == CellSpec.Mode.CLOSED;
    h.append("<table><tr><th>system</th><th>calls/s</th><th>").append(closed ? "ratio" : "p99 ratio")
        .append(" to ").append(esc(summary.reference())).append(" (range)</th><th>p50</th><th>p90</th><th>p99</th>"
            + "<th>p99.9</th><th>CPU/call client</th><th>CPU/call server</th><th>wire/call</th>"
            + "<th>alloc/call client</th><th>alloc/call server</th><th>warm-up</th><th>rounds</th></tr>");
    for (Summary.Row r : summary.rows(key)) {
      h.append("<tr><td>").append(swatch(r.system().name())).append(esc(r.system().name())).append("</td>");
      if (!r.measured()) {
        h.append("<td colspan='13' class='fail' style='text-align:left'>failed: ").append(esc(r.lastError()))
            .append("</td></tr>");
        continue;
      }
      if (r.couldNotSustain()) {
        h.append("<td colspan='13' class='fail' style='text-align:left'>could not sustain ")
            .append(esc(Format.number(r.rate()))).append(" calls/s: achieved ").append(esc(Format.number(
                r.ops().median()))).append("/s, schedule lag up to ").append(esc(Format.latency(r.maxLagNanos())))
            .append("</td></tr>");
        continue;
      }
      cells(Format.number(r.ops().median()), r.ratio().ratioText(), Format.latency(r.p50()), Format.latency(r.p90()),
          Format.latency(r.p99()), Format.latency(r.p999()), Format.cpu(r.clientCpuPerCall()),
          Format.cpu(r.serverCpuPerCall()), Format.bytes(r.wireBytesPerCall()), Format.bytes(r.clientAllocPerCall()),
          Format.bytes(r.serverAllocPerCall()), ConsoleSummary.warmup(r), r.runs().size() + (r.failures() > 0
              ? " (+" + r.failures() + " failed)" : "") + (r.notSustained() > 0 ? " (" + r.notSustained()
              + " fell behind)" : ""));
      h.append("</tr>");
    }
    h.append("</table>");
  }

  private void restVersusRpc(Summary summary) {
    h.append("<h2>REST versus RPC</h2><p class='note'>Throughput of each system divided by ")
        .append(SystemCatalog.REST_BASELINE).append("'s in the same round (closed loop); 2× means twice the calls "
            + "per second of Spring Boot REST on the same service.</p>");
    boolean any = false;
    for (CellKey key : summary.keys()) {
      if (key.mode() != CellSpec.Mode.CLOSED) {
        continue;
      }
      List<Svg.Bar> bars = new ArrayList<>();
      for (Summary.Row r : summary.rows(key)) {
        if (r.measured() && r.restRatio().known() && r.system().kind() != SystemUnderTest.Kind.LIMIT
            && !r.system().name().equals(SystemCatalog.REST_BASELINE)) {
          bars.add(new Svg.Bar(r.system().name(), r.restRatio().median(), r.restRatio().min(), r.restRatio().max(),
              color(r.system().name()), r.restRatio().ratioText()));
        }
      }
      if (!bars.isEmpty()) {
        any = true;
        h.append("<h3>").append(esc(key.label())).append("</h3>").append(Svg.bars(bars, "× REST", 1, 0));
      }
    }
    if (!any) {
      h.append("<p>No REST baseline in this run.</p>");
    }
    courierRestVersusRpc(summary);
  }

  /** Courier's REST binding against Courier's RPC and against Spring REST: the ratios, per cell, with spread. */
  private void courierRestVersusRpc(Summary summary) {
    h.append("<h3>Courier REST versus Courier RPC and Spring REST</h3>");
    comparisons(summary, SystemCatalog.Group.REST, "The same service through Courier's REST binding (JSON resource"
        + " routes, Courier's own client), against Courier's RPC reference and against Spring Boot REST: throughput"
        + " ratio taken in each round, median and range over rounds (closed loop).");
    restCosts(summary);
  }

  /** The same-serializer pairs and the floors: the comparisons a peer's maintainer reads first. */
  private void sameSerializer(Summary summary) {
    h.append("<h2>Same serializer, and the floor</h2>");
    h.append("<h3>").append(esc(SystemCatalog.Group.SAME_SERIALIZER.title())).append("</h3>");
    comparisons(summary, SystemCatalog.Group.SAME_SERIALIZER, "Each pair carries the same format, so the ratio is the"
        + " frameworks' difference: throughput ratio taken in each round, median and range over rounds (closed"
        + " loop); above 1 Courier is faster.");
    h.append("<h3>").append(esc(SystemCatalog.Group.LIMIT.title())).append("</h3>");
    comparisons(summary, SystemCatalog.Group.LIMIT, "netty-kryo encodes and decodes the same objects with the same"
        + " kryo settings over raw Netty, answering on the I/O thread: what remains between it and Courier is the"
        + " framework. netty-echo moves the same bytes without serializing.");
  }

  /** Client and server CPU per call of the REST systems whose clients and servers cross. */
  private void restCosts(Summary summary) {
    List<String> names = SystemCatalog.REST_COST_SYSTEMS.stream().filter(n -> summary.allRows().stream()
        .anyMatch(r -> r.system().name().equals(n) && r.measured())).toList();
    if (names.stream().noneMatch(n -> n.startsWith("cross-"))) {
      return;
    }
    h.append("<h3>REST client and server costs</h3><p class='note'>CPU per call, client + server (medians). Clients:"
        + " spring-rest RestClient on HttpClient 5; spring-rest-jdk and cross-jdk-to-courier the JDK HttpClient;"
        + " cross-courier-to-spring and courier-rest-h1 Courier's. Servers: Spring MVC on Tomcat for the first three,"
        + " Courier's REST binding for the last two.</p><table><tr><th>cell</th>");
    names.forEach(n -> h.append("<th>").append(esc(n)).append("</th>"));
    h.append("</tr>");
    for (CellKey key : summary.keys()) {
      if (key.mode() != CellSpec.Mode.CLOSED) {
        continue;
      }
      h.append("<tr><td>").append(esc(key.shortLabel())).append("</td>");
      for (String n : names) {
        Summary.Row r = summary.row(key, n);
        h.append("<td>").append(esc(r == null ? "–" : Format.cpu(r.clientCpuPerCall()) + " + "
            + Format.cpu(r.serverCpuPerCall()))).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>");
  }

  private void comparisons(Summary summary, SystemCatalog.Group group, String note) {
    List<SystemCatalog.Comparison> shown = SystemCatalog.COMPARISONS.stream().filter(c -> c.group() == group)
        .filter(c -> summary.keys().stream().anyMatch(k -> summary.comparison(k, c.numerator(), c.denominator())
            .known())).toList();
    if (shown.isEmpty()) {
      h.append("<p>The systems of these pairs did not run together in this run.</p>");
      return;
    }
    h.append("<p class='note'>").append(esc(note)).append("</p><table><tr><th>cell</th>");
    for (SystemCatalog.Comparison c : shown) {
      h.append("<th>").append(esc(c.numerator())).append(" ÷ ").append(esc(c.denominator())).append("</th>");
    }
    h.append("</tr>");
    for (CellKey key : summary.keys()) {
      if (key.mode() != CellSpec.Mode.CLOSED) {
        continue;
      }
      h.append("<tr><td>").append(esc(key.shortLabel())).append("</td>");
      for (SystemCatalog.Comparison c : shown) {
        h.append("<td>").append(esc(summary.comparison(key, c.numerator(), c.denominator()).ratioText()))
            .append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>");
    for (int i = 0; i < shown.size(); i++) {
      SystemCatalog.Comparison c = shown.get(i);
      List<Svg.Bar> bars = new ArrayList<>();
      for (CellKey key : summary.keys()) {
        Spread r = summary.comparison(key, c.numerator(), c.denominator());
        if (key.mode() == CellSpec.Mode.CLOSED && r.known()) {
          bars.add(new Svg.Bar(key.shortLabel(), r.median(), r.min(), r.max(), Svg.PALETTE[i % Svg.PALETTE.length],
              r.ratioText()));
        }
      }
      h.append("<h4>").append(esc(c.meaning())).append(": ").append(esc(c.numerator())).append(" ÷ ")
          .append(esc(c.denominator())).append("</h4>").append(Svg.bars(bars, "×", 1, 0));
    }
  }

  private void latencies(Summary summary) {
    h.append("<h2>Latency percentiles</h2><p class='note'>All rounds merged. Open loop: latency from each call's"
        + " intended start (no coordinated omission). The in-JVM direct call (tens of nanoseconds) is left out so"
        + " that the scale fits the systems that cross a wire; its figures are in the tables.</p>");
    for (CellKey key : summary.keys()) {
      List<Svg.Series> series = new ArrayList<>();
      for (Summary.Row r : summary.rows(key)) {
        if (r.measured() && r.system().needsServer()) {
          series.add(new Svg.Series(r.system().name(), color(r.system().name()), curve(r.merged())));
        }
      }
      if (!series.isEmpty()) {
        h.append("<h3>").append(esc(key.label())).append("</h3>").append(Svg.percentiles(series));
      }
    }
  }

  private static List<double[]> curve(Histogram histogram) {
    List<double[]> points = new ArrayList<>();
    for (double p : CURVE) {
      points.add(new double[] {p, p == 0 ? histogram.getMinValue() : histogram.getValueAtPercentile(p)});
    }
    return points;
  }

  private void costs(Summary summary) {
    h.append("<h2>Cost per call</h2><p class='note'>CPU time of the client and server processes, bytes on the wire"
        + " (both directions), and heap allocated by the client and the server, each divided by the calls of the"
        + " window. The client's figures include the load driver's own, which is the same for every system.</p>");
    for (CellKey key : summary.keys()) {
      if (key.mode() != CellSpec.Mode.CLOSED) {
        continue;
      }
      List<Svg.Stack> cpu = new ArrayList<>();
      List<Svg.Bar> wire = new ArrayList<>();
      List<Svg.Stack> alloc = new ArrayList<>();
      for (Summary.Row r : summary.rows(key)) {
        if (!r.measured()) {
          continue;
        }
        String name = r.system().name();
        double c = Math.max(0, r.clientCpuPerCall()) / 1000;
        double s = Math.max(0, r.serverCpuPerCall()) / 1000;
        cpu.add(new Svg.Stack(name, c, s, Format.cpu(r.clientCpuPerCall()) + " + " + Format.cpu(r.serverCpuPerCall())));
        if (r.wireBytesPerCall() >= 0) {
          wire.add(new Svg.Bar(name, r.wireBytesPerCall(), Double.NaN, Double.NaN, color(name),
              Format.bytes(r.wireBytesPerCall())));
        }
        alloc.add(new Svg.Stack(name, Math.max(0, r.clientAllocPerCall()), Math.max(0, r.serverAllocPerCall()),
            Format.bytes(r.clientAllocPerCall()) + " + " + Format.bytes(r.serverAllocPerCall())));
      }
      h.append("<h3>").append(esc(key.label())).append("</h3><h4>CPU per call (µs)</h4>")
          .append(Svg.stacked(cpu, "client", "server", "µs"));
      if (!wire.isEmpty()) {
        h.append("<h4>Bytes on the wire per call</h4>").append(Svg.bars(wire, "bytes", -1, 0));
      }
      h.append("<h4>Heap allocated per call</h4>").append(Svg.stacked(alloc, "client", "server", "bytes"));
    }
  }

  private void openLoop(Summary summary) {
    boolean any = summary.keys().stream().anyMatch(k -> k.mode() == CellSpec.Mode.OPEN);
    h.append("<h2>Open loop</h2>");
    if (!any) {
      h.append("<p>No open-loop cells in this run.</p>");
      return;
    }
    h.append("<p class='note'>Each system is offered 25/50/75 % of its own saturation (its best closed-loop throughput"
        + " on the workload, measured in the same JVM just before), and one common rate. Calls start on a schedule that"
        + " begins when the window opens (the warm-up ran its own, at the same rate), whether or not earlier ones have"
        + " returned, and latency counts from the scheduled start. Clients with an asynchronous API (Courier,"
        + " grpc-java, Dubbo's protocol, the Netty floors) are driven by one scheduler thread; the others (Spring's"
        + " RestClient, the JDK client, Thrift) by caller threads, one per call in flight (the raw measurements say"
        + " which). A system that completed less than 95 % of the rate,"
        + " or started a call late by more than a tenth of the window (at most 1 s), or needed every one of its caller"
        + " threads, is shown as unable to sustain it.</p>");
    for (CellKey key : summary.keys()) {
      if (key.mode() != CellSpec.Mode.OPEN) {
        continue;
      }
      h.append("<h3>").append(esc(key.label())).append("</h3>");
      List<Svg.Bar> bars = new ArrayList<>();
      for (Summary.Row r : summary.rows(key)) {
        if (r.measured() && !r.couldNotSustain()) {
          bars.add(new Svg.Bar(r.system().name(), r.p99() / 1000, Double.NaN, Double.NaN, color(r.system().name()),
              "p99 " + Format.latency(r.p99()) + " at " + Format.number(r.rate()) + "/s · " + r.ratio().ratioText()));
        }
      }
      h.append(Svg.bars(bars, "µs p99", -1, 0));
      table(summary, key);
    }
  }

  private void raw(List<Measurement> measurements) {
    h.append("<h2>Every measurement</h2><details><summary>").append(measurements.size())
        .append(" cells (click to show)</summary><table><tr><th>system</th><th>phase</th><th>round</th><th>cell</th>"
            + "<th>calls</th><th>calls/s</th><th>p50</th><th>p99</th><th>p99.9</th><th>max</th><th>CPU cli</th>"
            + "<th>CPU srv</th><th>wire</th><th>alloc cli</th><th>alloc srv</th><th>start-up</th><th>warm-up</th>"
            + "<th>schedule</th></tr>");
    for (Measurement m : measurements) {
      h.append("<tr><td>").append(esc(m.system().name())).append("</td>");
      if (!m.ok()) {
        cells(m.phase(), String.valueOf(m.round()), m.cell().label());
        h.append("<td colspan='15' class='fail' style='text-align:left'>").append(esc(m.error())).append("</td></tr>");
        continue;
      }
      cells(m.phase(), String.valueOf(m.round()), m.cell().label(), String.valueOf(m.calls()),
          Format.number(m.opsPerSecond()), Format.latency(m.latencyNanos(50)), Format.latency(m.latencyNanos(99)),
          Format.latency(m.latencyNanos(99.9)), Format.latency(m.latencies().getMaxValue()),
          Format.cpu(m.perCall(m.clientCpuNanos())), Format.cpu(m.perCall(m.serverCpuNanos())),
          Format.bytes(m.perCall(m.wireBytes())), Format.bytes(m.perCall(m.clientAllocatedBytes())),
          Format.bytes(m.perCall(m.serverAllocatedBytes())), m.trialStartupMillis() + " ms",
          m.warmupMillis() < 0 ? "–" : m.warmupMillis() + " ms" + (m.unsettled() ? " (not settled)" : ""),
          m.schedule() == null ? "" : (m.sustained() ? "kept " : "NOT kept ") + Format.number(m.schedule().rate())
              + "/s, lag " + Format.latency(m.schedule().maxLagNanos()) + ", up to " + m.schedule().peakCallers()
              + " in flight, " + (m.schedule().asynchronous() ? "async API" : "caller threads"));
      h.append("</tr>");
    }
    h.append("</table></details>");
  }

  private void cells(String... values) {
    for (String v : values) {
      h.append("<td>").append(esc(v)).append("</td>");
    }
  }

  private void row(String name, String value) {
    h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
  }

  private String color(String system) {
    return colors.getOrDefault(system, "#888");
  }

  private String swatch(String system) {
    return "<span class='swatch' style='background:" + color(system) + "'></span>";
  }

  private static String esc(String s) {
    return Svg.esc(s);
  }
}
