package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.LoadOutcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * {@code measurements.txt} of a run's folder: every measurement, one line each, appended as each trial ends (all of
 * a trial's lines in one write), so that an interrupted run can be continued with {@code --resume} and the trials it
 * finished are kept. A trial cut off in the middle left no line and runs again. Fields are {@code key=value}
 * separated by tabs; text and histograms are base64.
 */
final class MeasurementStore {

  static final String FILE = "measurements.txt";

  private final Path file;

  MeasurementStore(Path outputDir) {
    this.file = outputDir.resolve(FILE);
  }

  /** Appends the measurements of one finished trial. */
  void append(List<Measurement> trial) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Measurement m : trial) {
      b.append(format(m)).append('\n');
    }
    Files.writeString(file, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  /**
   * Cuts off a last line without its end (a harness killed while it wrote a trial), so that the lines appended next do
   * not join it: before a resumed run appends.
   */
  void dropPartialLine() throws IOException {
    if (!Files.isRegularFile(file)) {
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    int keep = bytes.length;
    while (keep > 0 && bytes[keep - 1] != '\n') {
      keep--;
    }
    if (keep < bytes.length) {
      try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
          StandardOpenOption.WRITE)) {
        channel.truncate(keep);
      }
    }
  }

  /** What an earlier run in the same folder stored, for the systems still known; empty if nothing. */
  List<Measurement> load() throws IOException {
    List<Measurement> all = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return all;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    // only whole lines: a harness that is writing (--report while it runs) or was killed in the middle of a trial's
    // write leaves a last line without its end, which is not a measurement
    int end = text.lastIndexOf('\n');
    for (String line : end < 0 ? new String[0] : text.substring(0, end).split("\n")) {
      if (!line.isBlank()) {
        Measurement m = parse(line);
        if (m != null) {
          all.add(m);
        }
      }
    }
    return all;
  }

  static String format(Measurement m) {
    ByteBuffer buffer = ByteBuffer.allocate(m.latencies().getNeededByteBufferCapacity());
    int length = m.latencies().encodeIntoCompressedByteBuffer(buffer);
    LoadOutcome.Schedule s = m.schedule();
    return String.join("\t", "trial=" + m.trial(), "round=" + m.round(), "system=" + m.system().name(),
        "cell=" + m.cell().format(), "calls=" + m.calls(), "errors=" + m.errors(), "error=" + text(m.error()),
        "elapsedNs=" + m.elapsedNanos(), "clientCpuNs=" + m.clientCpuNanos(), "serverCpuNs=" + m.serverCpuNanos(),
        "clientAlloc=" + m.clientAllocatedBytes(), "serverAlloc=" + m.serverAllocatedBytes(),
        "wire=" + m.wireBytes(), "startupMs=" + m.trialStartupMillis(), "warmupMs=" + m.warmupMillis(),
        "settled=" + m.settled(),
        "schedule=" + (s == null ? "-" : s.sent() + "," + s.maxLagNanos() + "," + s.outstanding() + ","
            + s.peakCallers() + "," + s.asynchronous()), "firstError=" + text(m.firstError()),
        "histogram=" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
  }

  static Measurement parse(String line) {
    Map<String, String> kv = new HashMap<>();
    for (String field : line.split("\t")) {
      int eq = field.indexOf('=');
      if (eq > 0) {
        kv.put(field.substring(0, eq), field.substring(eq + 1));
      }
    }
    SystemUnderTest system = SystemCatalog.byName(kv.get("system"));
    if (system == null) {
      return null;
    }
    CellSpec cell = CellSpec.parse(kv.get("cell"));
    LoadOutcome.Schedule schedule = null;
    if (!kv.get("schedule").equals("-")) {
      String[] p = kv.get("schedule").split(",");
      schedule = new LoadOutcome.Schedule(cell.rate(), Long.parseLong(p[0]), Long.parseLong(p[1]),
          Long.parseLong(p[2]), Integer.parseInt(p[3]), p.length > 4 && Boolean.parseBoolean(p[4]));
    }
    Histogram h;
    try {
      h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(kv.get("histogram"))),
          0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("unreadable histogram in " + FILE, e);
    }
    return new Measurement(kv.get("trial"), Integer.parseInt(kv.get("round")), system, cell,
        Long.parseLong(kv.get("calls")), Long.parseLong(kv.get("errors")), untext(kv.get("error")),
        Long.parseLong(kv.get("elapsedNs")), Long.parseLong(kv.get("clientCpuNs")),
        Long.parseLong(kv.get("serverCpuNs")), Long.parseLong(kv.get("clientAlloc")),
        Long.parseLong(kv.get("serverAlloc")), Long.parseLong(kv.get("wire")), Long.parseLong(kv.get("startupMs")),
        Long.parseLong(kv.get("warmupMs")), Integer.parseInt(kv.get("settled")), schedule,
        untext(kv.get("firstError")), h);
  }

  private static String text(String s) {
    return s == null ? "-" : Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String untext(String s) {
    return s == null || s.equals("-") ? null : new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
