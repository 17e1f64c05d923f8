package io.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.Workload;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs every system in the catalog through the real harness for well under a second per cell (smoke mode: separate
 * JVMs, each warmed on its workloads, all five workloads in closed loop with the steady-state warm-up, open loop at
 * half of each system's own saturation and at a common rate, Courier's systems discovering their servers in the
 * embedded ZooKeeper) and checks that each produced results, that the JSON, the stored measurements, HdrHistogram logs
 * and HTML report were written, and that the comparisons (same serializer, the floor, Courier REST versus RPC, the
 * REST cost crossing) are in the console table and the report. A benchmark is not a timed test: no speed is asserted.
 *
 * <p>The default build runs three of the five workloads ({@code courier.bench.smokeWorkloads}, set in the harness's
 * pom: the smallest call, the object list and the 1 MiB echo); {@code -Pbench-smoke-all} runs all five.
 */
class BenchmarkSmokeTest {

  private static final boolean WIRE_COUNTED = new WireCounter().available();

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void everySystemRunsEveryWorkloadAndTheReportsAreWritten() throws Exception {
    Path out = Path.of(System.getProperty("courier.bench.outputDir", "target/smoke-results"));
    List<String> args = new ArrayList<>(List.of("--smoke", "--out", out.toString(), "--seed", "42"));
    String workloads = System.getProperty("courier.bench.smokeWorkloads", "all");
    if (!workloads.equals("all")) {
      args.addAll(List.of("--workloads", workloads));
    }
    HarnessOptions options = HarnessOptions.parse(args.toArray(String[]::new));
    deleteRecursively(out); // results of an earlier build would be counted too
    Files.createDirectories(out);
    Benchmark benchmark;
    Benchmark.Result result;
    try (PrintStream console = new PrintStream(Files.newOutputStream(out.resolve("console.txt")), true,
        StandardCharsets.UTF_8)) {
      benchmark = new Benchmark(options, SystemsDir.locate(null), console);
      result = benchmark.run();
    }
    List<SystemUnderTest> ran = benchmark.systems();
    assertThat(ran).containsExactlyElementsOf(SystemCatalog.all()); // every system, Thrift included

    assertThat(result.failures()).as("failed cells (console: %s)", out.resolve("console.txt")).isEmpty();
    int cells = 0;
    for (SystemUnderTest system : ran) {
      for (Workload workload : system.workloads()) {
        if (!options.workloads().contains(workload)) {
          continue;
        }
        assertThat(find(result.measurements(), system, workload, CellSpec.Mode.CLOSED, false))
            .as("%s %s closed loop", system.name(), workload.id())
            .satisfies(BenchmarkSmokeTest::sane)
            .satisfies(m -> assertThat(m.warmupMillis()).isNotNegative())
            .satisfies(m -> assertThat(m.settled()).isIn(0, 1));
        cells++;
      }
      for (boolean own : new boolean[] {true, false}) {
        assertThat(find(result.measurements(), system, Workload.EXIST_USER, CellSpec.Mode.OPEN, own))
            .as("%s existUser open loop (%s)", system.name(), own ? "own saturation" : "common rate")
            .satisfies(BenchmarkSmokeTest::sane)
            .satisfies(m -> assertThat(m.schedule().sent()).isPositive())
            .satisfies(m -> assertThat(m.cell().rate()).isPositive());
        cells++;
      }
    }
    assertThat(result.measurements()).hasSize(cells);
    assertThat(Files.readAllLines(out.resolve(MeasurementStore.FILE))).hasSize(cells);

    String console = Files.readString(out.resolve("console.txt"));
    for (SystemCatalog.Group group : SystemCatalog.Group.values()) {
      assertThat(console).contains(group.title());
    }
    assertThat(console).contains("REST client and server costs", "RPC ÷ REST-h1", "REST-h2 ÷ Spring",
        "courier-tcp-kryo ÷ dubbo-kryo", "courier-http2-protobuf ÷ grpc-java", "courier-tcp-kryo ÷ netty-kryo",
        "--resume");
    for (SystemCatalog.Comparison c : SystemCatalog.COMPARISONS) {
      for (Workload workload : options.workloads()) {
        CellKey key = result.summary().keys().stream().filter(k -> k.workload() == workload
            && k.mode() == CellSpec.Mode.CLOSED).findFirst().orElseThrow();
        assertThat(result.summary().comparison(key, c.numerator(), c.denominator()).known())
            .as("%s ÷ %s on %s", c.numerator(), c.denominator(), workload.id()).isTrue();
      }
    }
    String json = Files.readString(result.json());
    assertThat(json).startsWith("{").contains("\"measurements\"", "\"summary\"", "\"throughputRatioToReference\"",
        "\"openLoop\"", "\"maxLagMicros\"", "\"warmupSettled\"", "\"same_serializer\"");
    String html = Files.readString(result.html());
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "REST versus RPC", "Latency percentiles",
        "Courier REST versus Courier RPC and Spring REST", SystemCatalog.Group.SAME_SERIALIZER.title(),
        "REST client and server costs", "settings from");
    assertThat(json).contains("embedded ZooKeeper");
    assertThat(html.contains("<link") || html.contains("@import") || html.matches("(?s).*(src|href)=['\"]?https?:.*"))
        .as("the report fetches nothing").isFalse();
    for (SystemUnderTest system : ran) {
      assertThat(json).contains("\"" + system.name() + "\"");
      assertThat(html).contains(system.name());
    }
    try (Stream<Path> logs = Files.walk(result.outputDir().resolve("hlog"))) {
      assertThat(logs.filter(p -> p.toString().endsWith(".hlog")).count()).isEqualTo(cells);
    }

    // --report remakes the same summary from the folder alone, and runs nothing
    java.io.ByteArrayOutputStream reported = new java.io.ByteArrayOutputStream();
    Benchmark.Result again;
    try (PrintStream reportConsole = new PrintStream(reported, true, StandardCharsets.UTF_8)) {
      again = new Benchmark(HarnessOptions.parse("--report", out.toString()), SystemsDir.locate(null), reportConsole)
          .run();
    }
    assertThat(Files.readAllLines(out.resolve(MeasurementStore.FILE))).hasSize(cells);
    assertThat(again.measurements()).hasSize(cells);
    String report = reported.toString(StandardCharsets.UTF_8);
    assertThat(report).contains("made with --report from the complete run", "courier-tcp-kryo ÷ dubbo-kryo",
        "REST-h2 ÷ Spring");
    String table = SystemCatalog.Group.SAME_SERIALIZER.title();
    assertThat(report.substring(report.indexOf(table)).lines().limit(4).toList())
        .isEqualTo(console.substring(console.indexOf(table)).lines().limit(4).toList());
    assertThat(Files.readString(again.html())).contains(SystemCatalog.Group.SAME_SERIALIZER.title());
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Measurement find(List<Measurement> all, SystemUnderTest system, Workload workload,
      CellSpec.Mode mode, boolean ownFraction) {
    return all.stream().filter(m -> m.system().name().equals(system.name()) && m.cell().workload() == workload
        && m.cell().mode() == mode && (mode == CellSpec.Mode.CLOSED || m.cell().ownFraction() == ownFraction))
        .findFirst().orElse(null);
  }

  private static void sane(Measurement m) {
    assertThat(m).isNotNull();
    assertThat(m.error()).isNull();
    assertThat(m.calls()).isPositive();
    assertThat(m.opsPerSecond()).isPositive();
    long p50 = m.latencyNanos(50);
    long p99 = m.latencyNanos(99);
    long p999 = m.latencyNanos(99.9);
    assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
    assertThat(p99).isLessThanOrEqualTo(p999);
    assertThat(p999).isLessThanOrEqualTo(m.latencies().getMaxValue());
    // CPU time is counted in clock ticks (10 ms): a short, light window may read 0, but never unknown
    assertThat(m.clientCpuNanos()).isNotNegative();
    if (m.system().needsServer()) {
      assertThat(m.serverCpuNanos()).isNotNegative();
      if (WIRE_COUNTED) {
        assertThat(m.wireBytes()).isPositive();
      }
    }
  }
}
