package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code results.json}: the run's settings, every measurement (one system, cell and round) and the summary, so
 * that runs can be compared later. Latencies are in microseconds, CPU in nanoseconds per call, sizes in bytes
 * per call; -1 or null means unknown.
 */
final class JsonReport {

  /** The percentiles written for every latency distribution. */
  static final double[] PERCENTILES = {0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

  private JsonReport() {}

  static void write(Path file, RunInfo info, List<SystemUnderTest> systems, List<Measurement> measurements,
      Summary summary) throws IOException {
    Json j = new Json().beginObject();
    j.name("run").beginObject()
        .field("started", info.started().toString()).field("mode", info.mode()).field("arguments", info.arguments())
        .field("java", info.jvm()).field("os", info.os()).field("cores", info.cores()).field("cpu", info.cpuModel())
        .field("pinning", info.pinning()).field("jvmFlags", info.jvmFlags()).field("heap", info.heap())
        .field("seed", info.seed()).field("reference", info.reference()).field("rounds", info.rounds())
        .field("trialScope", info.trialScope())
        .field("warmup", info.warmup()).field("measure", info.measure()).field("wireBytes", info.wireMethod())
        .field("notes", info.notes())
        .endObject();
    j.name("systems").beginArray();
    for (SystemUnderTest s : systems) {
      j.beginObject().field("name", s.name()).field("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT))
          .field("description", s.description()).endObject();
    }
    j.endArray();
    j.name("measurements").beginArray();
    for (Measurement m : measurements) {
      j.beginObject().field("trial", m.trial()).field("round", m.round()).field("system", m.system().name());
      cell(j, m.cell());
      j.field("ok", m.ok()).field("error", m.error()).field("calls", m.calls()).field("failedCalls", m.errors())
          .field("firstFailedCall", m.firstError())
          .field("seconds", m.elapsedNanos() / 1e9).field("callsPerSecond", m.opsPerSecond())
          .field("clientCpuNsPerCall", m.perCall(m.clientCpuNanos()))
          .field("serverCpuNsPerCall", m.perCall(m.serverCpuNanos()))
          .field("wireBytesPerCall", m.perCall(m.wireBytes()))
          .field("clientAllocBytesPerCall", m.perCall(m.clientAllocatedBytes()))
          .field("serverAllocBytesPerCall", m.perCall(m.serverAllocatedBytes()))
          .field("trialStartupMillis", m.trialStartupMillis())
          .field("warmupMillis", m.warmupMillis())
          .field("warmupSettled", m.settled() < 0 ? null : m.settled() == 1)
          .field("openLoop", m.schedule() == null ? null : schedule(m))
          .field("latencyMicros", percentiles(m.latencies()));
      j.endObject();
    }
    j.endArray();
    j.name("summary").beginArray();
    for (Summary.Row r : summary.allRows()) {
      j.beginObject().field("system", r.system().name()).field("workload", r.key().workload().id())
          .field("mode", r.key().mode().id()).field("concurrency", r.key().concurrency())
          .field("rateFractionOfOwnSaturation", r.key().ownFraction() ? r.key().fraction() : null)
          .field("rate", r.key().mode() == CellSpec.Mode.OPEN ? r.rate() : null)
          .field("roundsThatFellBehind", r.key().mode() == CellSpec.Mode.OPEN ? r.notSustained() : null)
          .field("maxScheduleLagMicros", r.maxLagNanos() < 0 ? null : r.maxLagNanos() / 1000.0)
          .field("warmupMillis", r.warmupMillis()).field("roundsNotSettled", r.unsettled())
          .field("rounds", r.runs().size()).field("failures", r.failures())
          .field("callsPerSecond", spread(r.ops()))
          .field(r.key().mode() == CellSpec.Mode.CLOSED ? "throughputRatioToReference" : "p99RatioToReference",
              spread(r.ratio()))
          .field(r.key().mode() == CellSpec.Mode.CLOSED ? "throughputRatioToRest" : "p99RatioToRest",
              spread(r.restRatio()))
          .field("p50Micros", r.p50() / 1000).field("p90Micros", r.p90() / 1000).field("p99Micros", r.p99() / 1000)
          .field("p999Micros", r.p999() / 1000)
          .field("clientCpuNsPerCall", r.clientCpuPerCall()).field("serverCpuNsPerCall", r.serverCpuPerCall())
          .field("wireBytesPerCall", r.wireBytesPerCall()).field("clientAllocBytesPerCall", r.clientAllocPerCall())
          .field("serverAllocBytesPerCall", r.serverAllocPerCall())
          .field("mergedLatencyMicros", percentiles(r.merged()))
          .endObject();
    }
    j.endArray();
    j.name("comparisons").beginArray(); // SystemCatalog.COMPARISONS: Courier REST versus RPC and versus Spring
    for (SystemCatalog.Comparison c : SystemCatalog.COMPARISONS) {
      for (CellKey key : summary.keys()) {
        Spread ratio = summary.comparison(key, c.numerator(), c.denominator());
        if (key.mode() == CellSpec.Mode.CLOSED && ratio.known()) {
          j.beginObject().field("group", c.group().name().toLowerCase(java.util.Locale.ROOT))
              .field("numerator", c.numerator()).field("denominator", c.denominator())
              .field("workload", key.workload().id()).field("concurrency", key.concurrency())
              .field("throughputRatio", spread(ratio)).endObject();
        }
      }
    }
    j.endArray();
    j.endObject();
    Files.writeString(file, j + "\n", StandardCharsets.UTF_8);
  }

  private static void cell(Json j, CellSpec c) {
    j.field("workload", c.workload().id()).field("mode", c.mode().id()).field("concurrency", c.concurrency())
        .field("rate", c.mode() == CellSpec.Mode.OPEN ? c.rate() : null)
        .field("rateFraction", c.ownFraction() ? c.fraction() : null)
        .field("minWarmupMillis", c.warmupMillis()).field("warmupCapMillis", c.warmupCapMillis())
        .field("steadyStepMillis", c.stepMillis()).field("measureMillis", c.measureMillis());
  }

  private static Map<String, Object> schedule(Measurement m) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("targetRate", m.schedule().rate());
    s.put("achievedRate", m.opsPerSecond());
    s.put("sent", m.schedule().sent());
    s.put("maxLagMicros", m.schedule().maxLagNanos() / 1000.0);
    s.put("outstandingAtEnd", m.schedule().outstanding());
    s.put("peakCallsInFlight", m.schedule().peakCallers());
    s.put("asynchronousCalls", m.schedule().asynchronous());
    s.put("sustained", m.sustained());
    return s;
  }

  private static Map<String, Object> spread(Spread s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", s.known() ? s.median() : null);
    m.put("min", s.known() ? s.min() : null);
    m.put("max", s.known() ? s.max() : null);
    m.put("n", s.n());
    return m;
  }

  static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (h.getTotalCount() == 0) {
      return m;
    }
    for (double p : PERCENTILES) {
      String name = p == 0 ? "min" : p == 100 ? "max" : "p" + (p == Math.rint(p) ? String.valueOf((long) p)
          : String.valueOf(p));
      long v = p == 0 ? h.getMinValue() : p == 100 ? h.getMaxValue() : h.getValueAtPercentile(p);
      m.put(name, v / 1000.0);
    }
    return m;
  }
}
