package io.courier.bench.harness;

import io.courier.bench.driver.CellReport;
import io.courier.bench.driver.CellSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One system measured on a list of cells in fresh JVMs: start the server and wait for {@code READY}, start the
 * client with the cells, and at each window edge the client announces ({@code MARK}) sample the server's
 * counters and the wire before letting the client go on. Both JVMs are stopped at the end, whatever happened;
 * a trial that fails yields failed measurements for the cells it did not finish, and the run goes on.
 */
final class Trial {

  /** How long a server may take to start (Spring Boot and Dubbo on one pinned core take several seconds). */
  private static final Duration START_DEADLINE = Duration.ofSeconds(120);
  /** Slack on top of the cells' own durations: connecting, stopping load threads, reporting. */
  private static final Duration CLIENT_SLACK = Duration.ofSeconds(120);
  private static final Duration STATS_DEADLINE = Duration.ofSeconds(20);
  static final int EXPECTED_JVM_WARMUP_ROUNDS = 4;

  private final String phase;
  private final int round;
  private final SystemUnderTest system;
  private final List<CellSpec> cells;
  private final TrialContext context;
  private final long jvmWarmupMillis;
  private final int jvmWarmupRounds;
  private volatile long jvmWarmedMillis = -1; // set when the client reports WARMED

  /**
   * @param jvmWarmupMillis the client's JVM warm-up per workload and round, before the first cell
   * @param jvmWarmupRounds at most this many rounds of it: the client stops once two rounds agree
   */
  Trial(String phase, int round, SystemUnderTest system, List<CellSpec> cells, TrialContext context,
      long jvmWarmupMillis, int jvmWarmupRounds) {
    this.phase = phase;
    this.round = round;
    this.system = system;
    this.cells = List.copyOf(cells);
    this.context = context;
    this.jvmWarmupMillis = jvmWarmupMillis;
    this.jvmWarmupRounds = jvmWarmupRounds;
  }

  /** The trial's name: in file names, logs and {@code --resume}'s record of what is done. */
  String id() {
    return phase + "-r" + round + "-" + system.name()
        + (cells.stream().map(CellSpec::workload).distinct().count() == 1 ? "-" + cells.get(0).workload().id() : "");
  }

  int round() {
    return round;
  }

  /**
   * The JVM warm-up the client gives its workloads before its first cell, in all: once the client said (WARMED), what
   * it took; until then, for the ETA, a guess of up to {@value #EXPECTED_JVM_WARMUP_ROUNDS} rounds (in the runs
   * recorded in RESULTS.md, the JVMs of a quick run used all four of its rounds; with twelve allowed, four to eight).
   */
  long jvmWarmupMillis() {
    return jvmWarmedMillis >= 0 ? jvmWarmedMillis
        : jvmWarmupMillis * Math.min(jvmWarmupRounds, EXPECTED_JVM_WARMUP_ROUNDS)
            * cells.stream().map(CellSpec::workload).distinct().count();
  }

  /** The longest the JVM warm-up may take: every round. */
  private long jvmWarmupCapMillis() {
    return jvmWarmupMillis * jvmWarmupRounds * cells.stream().map(CellSpec::workload).distinct().count();
  }

  SystemUnderTest system() {
    return system;
  }

  List<CellSpec> cells() {
    return cells;
  }

  /** The cells' own time at most: warm-up cap plus measurement. */
  long cellMillis() {
    return cells.stream().mapToLong(c -> c.warmupCapMillis() + c.measureMillis()).sum();
  }

  List<Measurement> run(Progress progress) throws InterruptedException {
    String id = id();
    progress.trialStarted(this);
    List<Measurement> results = new ArrayList<>();
    long started = System.nanoTime();
    ChildProcess server = null;
    ChildProcess client = null;
    try {
      Files.createDirectories(context.logs());

      // each trial its own ZooKeeper root: a server halted by an earlier trial keeps its ephemeral node until its
      // session times out, and must never be a candidate here
      List<String> registryArgs = context.registry() == null || !system.discovers() ? List.of()
          : List.of("--registry", context.registry() + "/courier-bench/" + id);
      int port = 0;
      if (system.needsServer()) {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        args.addAll(registryArgs);
        server = ChildProcess.start(id + "-server",
            context.launcher().server(system.serverJar(context.systemsDir()), system.name(), args),
            context.logs().resolve(id + "-server.log"));
        String ready = server.awaitLine("READY ", deadline(START_DEADLINE), "starting the server");
        port = Integer.parseInt(ready.substring(6).trim());
      }
      List<String> args = new ArrayList<>();
      if (system.needsServer()) {
        args.addAll(List.of("--target", "127.0.0.1:" + port));
      }
      args.addAll(registryArgs);
      args.addAll(List.of("--hlog-dir", context.hlogs().resolve(phase + "-r" + round).toString()));
      if (jvmWarmupMillis > 0) {
        args.addAll(List.of("--jvm-warmup", String.valueOf(jvmWarmupMillis), "--jvm-warmup-rounds",
            String.valueOf(jvmWarmupRounds)));
      }
      for (CellSpec cell : cells) {
        args.addAll(List.of("--cell", cell.format()));
      }
      client = ChildProcess.start(id + "-client",
          context.launcher().client(system.clientJar(context.systemsDir()), system.name(), args),
          context.logs().resolve(id + "-client.log"));
      long deadline = deadline(START_DEADLINE.plus(CLIENT_SLACK).plusMillis(cellMillis() + jvmWarmupCapMillis()));
      long startupMillis = -1;
      Map<Integer, Sample> atStart = new HashMap<>();
      Map<Integer, Sample> atEnd = new HashMap<>();
      while (true) {
        String line = client.nextLine(deadline, "running " + system.name());
        if (line.equals("JIT")) { // the client's JVM warm-up asks how much the server has compiled
          client.send("JIT " + (server == null ? -1 : jitMillis(server)));
        } else if (line.startsWith("WARMED ")) {
          String[] warmed = line.substring(7).trim().split(" ");
          jvmWarmedMillis = Long.parseLong(warmed[0]);
          progress.jvmWarmed(this, jvmWarmedMillis, String.join(" ", Arrays.asList(warmed).subList(1,
              warmed.length)));
        } else if (line.startsWith("CELL ")) {
          if (startupMillis < 0) {
            startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
          }
          int index = Integer.parseInt(line.split(" ")[1]);
          progress.cellStarted(round, system, cells.get(index));
        } else if (line.startsWith("MARK start ")) {
          atStart.put(Integer.parseInt(line.substring(11).trim()), sample(server, port));
          client.send("GO");
        } else if (line.startsWith("MARK end ")) {
          atEnd.put(Integer.parseInt(line.substring(9).trim()), sample(server, port));
          client.send("GO");
        } else if (line.startsWith("RESULT ")) {
          CellReport report = CellReport.parse(line.substring(7));
          Measurement m = measurement(id, report, atStart.get(report.index()), atEnd.get(report.index()),
              startupMillis);
          results.add(m);
          progress.cellFinished(m);
        } else if (line.equals("DONE")) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      String why = e instanceof ChildProcess.ChildFailedException ? e.getMessage() : e.toString();
      for (int i = results.size(); i < cells.size(); i++) {
        Measurement failed = Measurement.failed(id, round, system, cells.get(i), why
            + " (logs: " + context.logs().resolve(id + "-*.log") + ")");
        results.add(failed);
        progress.cellFinished(failed);
      }
    } finally {
      if (client != null) {
        client.close();
      }
      if (server != null) {
        server.close();
      }
      progress.trialFinished(this, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), results);
    }
    return results;
  }

  /** The server's CPU and allocation counters (-1 where unknown) and the wire's per-socket bytes, at one instant. */
  private record Sample(long serverCpuNanos, long serverAllocatedBytes, Map<String, Long> wire) {}

  private Sample sample(ChildProcess server, int port) throws InterruptedException {
    Map<String, Long> wire = system.needsServer() ? context.wire().snapshot(port) : Map.of();
    if (server == null) {
      return new Sample(-1, -1, wire);
    }
    server.send("STATS");
    String stats = server.awaitLine("STATS ", deadline(STATS_DEADLINE), "reporting its counters");
    return new Sample(field(stats, "cpuNs"), field(stats, "allocBytes"), wire);
  }

  /** The server JVM's compilation time so far, in milliseconds (-1 where its JVM does not say). */
  private long jitMillis(ChildProcess server) throws InterruptedException {
    server.send("STATS");
    return field(server.awaitLine("STATS ", deadline(STATS_DEADLINE), "reporting its counters"), "jitMs");
  }

  private static long field(String line, String name) {
    for (String part : line.split(" ")) {
      if (part.startsWith(name + "=")) {
        return Long.parseLong(part.substring(name.length() + 1));
      }
    }
    return -1;
  }

  private Measurement measurement(String id, CellReport r, Sample start, Sample end, long startupMillis) {
    boolean both = start != null && end != null;
    long serverCpu = both ? delta(start.serverCpuNanos(), end.serverCpuNanos()) : -1;
    long serverAlloc = both ? delta(start.serverAllocatedBytes(), end.serverAllocatedBytes()) : -1;
    long wire = both ? WireCounter.between(start.wire(), end.wire()) : -1;
    boolean open = r.schedule() != null;
    String error = r.calls() == 0 ? "no call completed" + (r.errors() > 0 ? "; " + r.errors()
        + " failed calls, first: " + r.firstError() : "")
        : r.errors() > 0 && !open ? r.errors() + " failed calls, first: " + r.firstError() : null;
    return new Measurement(id, round, system, r.spec(), r.calls(), r.errors(), error, r.elapsedNanos(),
        r.cpuNanos(), serverCpu, r.allocatedBytes(), serverAlloc, wire, startupMillis, r.warmupMillis(), r.settled(),
        r.schedule(), r.firstError(), r.latencies());
  }

  private static long delta(long start, long end) {
    return start < 0 || end < 0 ? -1 : end - start;
  }

  private static long deadline(Duration d) {
    return System.nanoTime() + d.toNanos();
  }
}
