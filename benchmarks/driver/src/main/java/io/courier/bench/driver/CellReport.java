package io.courier.bench.driver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * A client child's result for one cell, as one {@code RESULT} line of {@code key=value} fields: counts, the
 * client's resource use over the window, the warm-up it took, in open loop how the schedule went, and the latency
 * histogram (compressed, base64). The harness parses it back with {@link #parse}.
 *
 * @param settled see {@link LoadOutcome#settled()}
 * @param schedule open loop only, else null
 */
public record CellReport(int index, CellSpec spec, long calls, long errors, String firstError, long elapsedNanos,
    long cpuNanos, long allocatedBytes, long warmupMillis, int settled, LoadOutcome.Schedule schedule,
    Histogram latencies) {

  public static CellReport of(int index, CellSpec spec, LoadOutcome outcome) {
    ProcessMeters.Usage u = outcome.usage();
    return new CellReport(index, spec, outcome.calls(), outcome.errors(), outcome.firstError(), u.elapsedNanos(),
        u.cpuNanos(), u.allocatedBytes(), outcome.warmupMillis(), outcome.settled(), outcome.schedule(),
        outcome.latencies());
  }

  public String format() {
    ByteBuffer buffer = ByteBuffer.allocate(latencies.getNeededByteBufferCapacity());
    int length = latencies.encodeIntoCompressedByteBuffer(buffer);
    String histogram = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    String error = firstError == null ? "-"
        : Base64.getEncoder().encodeToString(firstError.getBytes(StandardCharsets.UTF_8));
    return "index=" + index + " cell=" + spec.format() + " calls=" + calls + " errors=" + errors + " firstError="
        + error + " elapsedNs=" + elapsedNanos + " cpuNs=" + cpuNanos + " allocBytes=" + allocatedBytes
        + " warmupMs=" + warmupMillis + " settled=" + settled
        + (schedule == null ? "" : " sent=" + schedule.sent() + " maxLagNs=" + schedule.maxLagNanos()
            + " outstanding=" + schedule.outstanding() + " callers=" + schedule.peakCallers() + " async="
            + schedule.asynchronous())
        + " histogram=" + histogram;
  }

  /** Parses what {@link #format} wrote. */
  public static CellReport parse(String line) {
    Map<String, String> kv = new HashMap<>();
    for (String field : line.trim().split(" ")) {
      int eq = field.indexOf('=');
      if (eq > 0) {
        kv.put(field.substring(0, eq), field.substring(eq + 1));
      }
    }
    String error = kv.get("firstError");
    Histogram histogram;
    try {
      histogram = Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(kv.get("histogram"))), 0);
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("RESULT line has no readable histogram: " + line, e);
    }
    CellSpec spec = CellSpec.parse(kv.get("cell"));
    LoadOutcome.Schedule schedule = kv.containsKey("sent") ? new LoadOutcome.Schedule(spec.rate(),
        Long.parseLong(kv.get("sent")), Long.parseLong(kv.get("maxLagNs")), Long.parseLong(kv.get("outstanding")),
        Integer.parseInt(kv.get("callers")), Boolean.parseBoolean(kv.get("async"))) : null;
    return new CellReport(Integer.parseInt(kv.get("index")), spec,
        Long.parseLong(kv.get("calls")), Long.parseLong(kv.get("errors")),
        error == null || error.equals("-") ? null
            : new String(Base64.getDecoder().decode(error), StandardCharsets.UTF_8),
        Long.parseLong(kv.get("elapsedNs")), Long.parseLong(kv.get("cpuNs")), Long.parseLong(kv.get("allocBytes")),
        Long.parseLong(kv.getOrDefault("warmupMs", "-1")), Integer.parseInt(kv.getOrDefault("settled", "-1")),
        schedule, histogram);
  }
}
