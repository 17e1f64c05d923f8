package io.courier.bench.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The client role of a child JVM: connect once, warm the JVM on every workload of its cells (client and server: the
 * calls go to the server), then run each cell and print its {@code RESULT}. Around each measured window it prints
 * {@code MARK start|end i} and waits for {@code GO}, so that the harness samples the server at the window's edges.
 *
 * <p>An open-loop cell whose rate is a fraction of the system's own saturation gets its rate here: the fraction of
 * the best closed-loop throughput this JVM measured on the same workload (the harness puts those cells first).
 */
final class ClientChild {

  /** The concurrency a client is set up for when its JVM runs no closed-loop cell. */
  static final int DEFAULT_CONCURRENCY = 64;

  private final BenchSystem system;
  private final ChildMain.Options options;
  private final PrintStream protocol;
  private final BufferedReader commands;

  ClientChild(BenchSystem system, ChildMain.Options options, PrintStream protocol, BufferedReader commands) {
    this.system = system;
    this.options = options;
    this.protocol = protocol;
    this.commands = commands;
  }

  int run() throws Exception {
    if (options.cells().isEmpty()) {
      throw new IllegalArgumentException("no --cell given");
    }
    BenchSystem.Endpoint target = parseTarget();
    int concurrency = options.cells().stream().filter(c -> c.mode() == CellSpec.Mode.CLOSED)
        .mapToInt(CellSpec::concurrency).max().orElse(DEFAULT_CONCURRENCY);
    ProcessMeters meters = new ProcessMeters();
    // not closed: the JVM halts after DONE (see ChildMain), which is faster than any framework's graceful close
    BenchSystem.Client client = system.connect(target, concurrency);
    warmJvm(client, concurrency, meters);
    Map<Workload, Double> saturation = new EnumMap<>(Workload.class);
    for (int i = 0; i < options.cells().size(); i++) {
      CellSpec cell = options.cells().get(i);
      if (cell.ownFraction()) {
        Double best = saturation.get(cell.workload());
        if (best == null || !(best > 0)) {
          throw new IllegalStateException(cell.label() + ": no closed-loop result for " + cell.workload().id()
              + " earlier in this JVM to take the fraction of");
        }
        cell = cell.withRate(Math.max(1, Math.round(cell.fraction() * best)));
      }
      Operation operation = client.operation(cell.workload());
      protocol.println("CELL " + i + " " + cell.label());
      MeasurementWindow window = options.handshake() ? handshake(i) : MeasurementWindow.NONE;
      LoadOutcome outcome;
      try (LogFile log = LogFile.open(options.hlogDir(), system.name(), i, cell)) {
        AsyncOperation async = cell.mode() == CellSpec.Mode.OPEN ? client.asyncOperation(cell.workload()) : null;
        outcome = LoadDriver.of(operation, async, cell, meters).run(window, log == null ? null : log.writer);
      }
      protocol.println("RESULT " + CellReport.of(i, cell, outcome).format());
      if (cell.mode() == CellSpec.Mode.CLOSED && outcome.errors() == 0) {
        saturation.merge(cell.workload(), outcome.callsPerSecond(), Math::max);
      }
    }
    protocol.println("DONE");
    return 0;
  }

  private static final int JVM_WARMUP_TOLERANCE_PERCENT = 10;
  /** A JVM whose compilers took at most this share of a round's wall time compiling is taken as warm. */
  static final double JIT_QUIET_FRACTION = 0.05;

  /**
   * Runs every workload of the cells closed loop for {@code --jvm-warmup} milliseconds each, in the order they first
   * appear, before the first measured cell: a JVM's first cell is otherwise measured while the others' code is still
   * cold. With {@code --jvm-warmup-rounds} above 1 it goes round again until the JIT has gone quiet in both JVMs —
   * each one's compilers spent at most {@value #JIT_QUIET_FRACTION} of the round compiling ({@code
   * CompilationMXBean}; the server's asked for through the harness, {@code JIT}) — and two consecutive rounds agree
   * within ±{@value #JVM_WARMUP_TOLERANCE_PERCENT} % on every workload's throughput, or the rounds run out. Throughput
   * alone ends too early for a framework whose hot paths C2 is still compiling (Spring MVC needs 20 s and more on one
   * core): it can look steady at a quarter of its speed. Prints {@code WARMED ms rounds=n jitQuiet=b agree=b}.
   */
  private void warmJvm(BenchSystem.Client client, int concurrency, ProcessMeters meters) throws InterruptedException {
    if (options.jvmWarmupMillis() <= 0) {
      return;
    }
    long start = System.nanoTime();
    Set<Workload> workloads = new LinkedHashSet<>();
    options.cells().forEach(c -> workloads.add(c.workload()));
    Map<Workload, Double> previous = new HashMap<>();
    boolean agree = false;
    boolean quiet = false;
    int round = 0;
    long clientJit = meters.jitMillis();
    long serverJit = serverJitMillis();
    while (round < options.jvmWarmupRounds() && !(agree && quiet)) {
      round++;
      long roundStart = System.nanoTime();
      agree = round > 1;
      for (Workload w : workloads) {
        double rate = ClosedLoopDriver.exercise(client.operation(w), concurrency, options.jvmWarmupMillis());
        Double before = previous.put(w, rate);
        agree &= before != null
            && Math.abs(rate - before) <= JVM_WARMUP_TOLERANCE_PERCENT / 100.0 * Math.max(rate, before);
      }
      long roundMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart);
      long clientNow = meters.jitMillis();
      long serverNow = serverJitMillis();
      quiet = jitQuiet(clientJit, clientNow, roundMillis) && jitQuiet(serverJit, serverNow, roundMillis);
      clientJit = clientNow;
      serverJit = serverNow;
    }
    protocol.println("WARMED " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " rounds=" + round
        + " jitQuiet=" + quiet + " agree=" + agree);
  }

  /** Whether a JVM's compilers spent at most {@link #JIT_QUIET_FRACTION} of {@code roundMillis}; true if unknown. */
  static boolean jitQuiet(long before, long after, long roundMillis) {
    return before < 0 || after < 0 || after - before <= JIT_QUIET_FRACTION * roundMillis;
  }

  /**
   * The server JVM's compilation time in milliseconds, asked of the harness ({@code JIT}, answered {@code JIT ms});
   * -1 without a server or a harness to ask.
   */
  private long serverJitMillis() {
    if (!options.handshake() || !system.needsServer()) {
      return -1;
    }
    protocol.println("JIT");
    try {
      String line = commands.readLine();
      if (line == null) {
        System.err.println("the harness went away; exiting");
        System.exit(3);
      }
      if (!line.startsWith("JIT ")) {
        throw new IllegalStateException("expected JIT from the harness, got: " + line);
      }
      return Long.parseLong(line.substring(4).trim());
    } catch (IOException e) {
      throw new IllegalStateException("reading from the harness failed", e);
    }
  }

  private BenchSystem.Endpoint parseTarget() {
    String t = options.target();
    if (!system.needsServer() && t == null) {
      return new BenchSystem.Endpoint("127.0.0.1", 0, options.registry());
    }
    if (t == null || t.lastIndexOf(':') < 0) {
      throw new IllegalArgumentException("--target: " + t + " (expected: host:port)");
    }
    int colon = t.lastIndexOf(':');
    return new BenchSystem.Endpoint(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)),
        options.registry());
  }

  private MeasurementWindow handshake(int index) {
    return new MeasurementWindow() {
      @Override
      public void opening() {
        protocol.println("MARK start " + index);
        awaitGo();
      }

      @Override
      public void closed() {
        protocol.println("MARK end " + index);
        awaitGo();
      }
    };
  }

  private void awaitGo() {
    try {
      String line = commands.readLine();
      if (line == null) {
        System.err.println("the harness went away; exiting");
        System.exit(3);
      }
      if (!line.trim().equals("GO")) {
        throw new IllegalStateException("expected GO from the harness, got: " + line);
      }
    } catch (IOException e) {
      throw new IllegalStateException("reading from the harness failed", e);
    }
  }

  /** An HdrHistogram log of one cell's measured window, one interval per second. */
  private static final class LogFile implements AutoCloseable {
    final HistogramLogWriter writer;

    private LogFile(HistogramLogWriter writer) {
      this.writer = writer;
    }

    static LogFile open(String dir, String system, int index, CellSpec cell) throws IOException {
      if (dir == null) {
        return null;
      }
      Path folder = Files.createDirectories(Path.of(dir));
      String name = system + "-" + index + "-" + cell.workload().id() + "-" + cell.mode().id()
          + (cell.mode() == CellSpec.Mode.CLOSED ? "-c" + cell.concurrency() : "-r" + Math.round(cell.rate()))
          + ".hlog";
      return new LogFile(new HistogramLogWriter(folder.resolve(name).toFile()));
    }

    @Override
    public void close() {
      writer.close();
    }
  }
}
