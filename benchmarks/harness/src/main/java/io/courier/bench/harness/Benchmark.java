package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.Workload;
import io.courier.registry.zookeeper.EmbeddedZooKeeper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A whole run: the closed-loop phase in randomized interleaved rounds, then the open-loop phase at rates derived
 * from it, then the summary on the console, the JSON and the HTML report.
 */
public final class Benchmark {

  /** What a run produced. */
  public record Result(Path outputDir, Path json, Path html, List<Measurement> measurements, Summary summary,
      List<String> failures) {}

  private final HarnessOptions options;
  private final Path systemsDir;
  private final PrintStream out;

  private final List<SystemUnderTest> systems = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();

  /**
   * @throws IllegalStateException if the jar of a selected system is missing, unless the system has a build
   *     requirement (then it is skipped, with a note)
   */
  public Benchmark(HarnessOptions options, Path systemsDir, PrintStream out) {
    this.options = options;
    this.systemsDir = systemsDir;
    this.out = out;
    List<String> missing = new ArrayList<>();
    for (SystemUnderTest s : options.systems()) {
      if (Files.isRegularFile(s.jar(systemsDir))) {
        systems.add(s);
      } else if (s.buildRequirement() != null) {
        skipped.add(s.name() + " skipped: its jar is built only with " + s.buildRequirement());
      } else {
        missing.add(s.jar(systemsDir).toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("system jars missing: " + missing + " (build them with: mvn -B -q -pl "
          + "benchmarks/harness -am -DskipTests package)");
    }
    if (systems.isEmpty()) {
      throw new IllegalStateException("no system to run: " + skipped);
    }
  }

  /** The systems that run: those selected whose jars exist. */
  public List<SystemUnderTest> systems() {
    return List.copyOf(systems);
  }

  /**
   * Runs the benchmark: with {@code --registry zookeeper} (the default) inside an embedded ZooKeeper, started first
   * and stopped last.
   */
  public Result run(String arguments) throws IOException, InterruptedException {
    EmbeddedZooKeeper zookeeper = null;
    if (options.registry().equals("zookeeper")) {
      Logging.quietZooKeeper();
      zookeeper = EmbeddedZooKeeper.start();
    }
    try {
      return run(arguments, zookeeper == null ? null : "zookeeper://" + zookeeper.connectString());
    } finally {
      if (zookeeper != null) {
        zookeeper.close();
      }
    }
  }

  private Result run(String arguments, String registry) throws IOException, InterruptedException {
    OffsetDateTime started = OffsetDateTime.now();
    Path outDir = options.outputDir().toAbsolutePath().normalize();
    Files.createDirectories(outDir);
    JvmLauncher launcher = new JvmLauncher(options.heap(), options.pin());
    WireCounter wire = new WireCounter();
    TrialContext context = new TrialContext(launcher, wire, systemsDir, outDir, registry);
    Random random = new Random(options.seed());
    List<String> notes = new ArrayList<>(skipped);
    notes.add(registry == null ? "discovery: direct addresses (--registry direct)"
        : "discovery: Courier systems register and subscribe in an embedded ZooKeeper (" + registry
            + ", each trial under its own root) at setup; no measured call consults it");
    Progress progress = new Progress(out);

    List<CellSpec> closedCells = new ArrayList<>();
    for (Workload w : options.workloads()) {
      for (int c : options.concurrencies()) {
        closedCells.add(CellSpec.closed(w, c, options.warmup().toMillis(), options.measure().toMillis()));
      }
    }
    boolean ratesGiven = !options.rates().isEmpty();
    int openPerSystem = options.openWorkloads().size()
        * (ratesGiven ? options.rates().size() : options.rateFractions().size());
    // The open-loop cells share the closed-loop rounds' JVMs (one trial per system and round) once their rates are
    // known: given, or sized from the rounds already run. Otherwise they get rounds of their own at the end.
    boolean shareJvms = options.trialScope() == HarnessOptions.TrialScope.SYSTEM && !closedCells.isEmpty()
        && (ratesGiven || options.rounds() > options.openRounds());
    int firstOpenRound = Math.max(ratesGiven ? 1 : 2, options.rounds() - options.openRounds() + 1);
    planProgress(progress, closedCells, openPerSystem, shareJvms);

    printHeader(outDir, launcher, wire, progress);
    Map<Workload, List<Double>> rates = ratesGiven ? OpenLoopRates.plan(options, systems, null, notes) : null;
    notes.forEach(n -> out.println("  " + n));
    List<Measurement> all = new ArrayList<>();
    for (int r = 1; r <= options.rounds() && !closedCells.isEmpty(); r++) {
      List<CellSpec> cells = new ArrayList<>(closedCells);
      if (shareJvms && openPerSystem > 0 && r >= firstOpenRound) {
        rates = rates != null ? rates : sizeRates(all, notes);
        cells.addAll(openCells(rates));
      }
      int round = r;
      String title = (cells.size() > closedCells.size() ? "Closed and open loop" : "Closed loop") + ", round " + r
          + "/" + options.rounds();
      all.addAll(Round.shuffled(title, systems, s -> trials("main", round, s, cells, context), random).run(progress));
    }
    if (!shareJvms && openPerSystem > 0) {
      rates = rates != null ? rates : sizeRates(all, notes);
      List<CellSpec> open = openCells(rates);
      for (int r = 1; r <= options.openRounds() && !open.isEmpty(); r++) {
        int round = r;
        all.addAll(Round.shuffled("Open loop, round " + r + "/" + options.openRounds(), systems,
            s -> trials("open", round, s, open, context), random).run(progress));
      }
    }

    Summary summary = Summary.of(all, systems, options.reference());
    List<String> failures = new ArrayList<>();
    for (Measurement m : all) {
      if (!m.ok()) {
        failures.add(m.system().name() + " " + m.cell().label() + " (" + m.phase() + " round " + m.round() + "): "
            + m.error());
      }
    }
    RunInfo info = new RunInfo(started, options.mode(), arguments, System.getProperty("java.vm.name")
        + " " + Runtime.version(), System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), RunInfo.readCpuModel(),
        launcher.pinning(), launcher.flags(), options.heap(), options.seed(), options.reference(), options.rounds(),
        options.openRounds(), options.trialScope().name().toLowerCase(java.util.Locale.ROOT),
        Progress.duration(options.warmup().toMillis()), Progress.duration(options.measure().toMillis()),
        wire.available() ? "kernel TCP counters (ss -ti: bytes_acked + bytes_received) of the client's connections"
            : "unavailable (no ss)", notes);
    new ConsoleSummary(out).print(summary, info, failures);
    Path json = outDir.resolve("results.json");
    Path html = outDir.resolve("report.html");
    JsonReport.write(json, info, systems, all, summary);
    HtmlReport.write(html, info, systems, summary, all);
    out.println();
    out.println("Raw results: " + json);
    out.println("HdrHistogram logs: " + context.hlogs());
    out.println("HTML report: " + html);
    return new Result(outDir, json, html, all, summary, failures);
  }

  /** Open-loop rates from the closed-loop results so far; prints how they were chosen. */
  private Map<Workload, List<Double>> sizeRates(List<Measurement> soFar, List<String> notes) {
    int before = notes.size();
    Map<Workload, List<Double>> rates = OpenLoopRates.plan(options, systems,
        Summary.of(soFar, systems, options.reference()), notes);
    notes.subList(before, notes.size()).forEach(n -> out.println("  " + n));
    return rates;
  }

  private void planProgress(Progress progress, List<CellSpec> closedCells, int openPerSystem, boolean shareJvms) {
    long cellMillis = options.warmup().toMillis() + options.measure().toMillis();
    int closedTrialsPerSystem = options.trialScope() == HarnessOptions.TrialScope.SYSTEM ? 1
        : (int) closedCells.stream().map(CellSpec::workload).distinct().count();
    int closedTrials = closedCells.isEmpty() ? 0 : options.rounds() * systems.size() * closedTrialsPerSystem;
    int openCells = options.openRounds() * systems.size() * openPerSystem;
    int openTrials = shareJvms || openPerSystem == 0 ? 0 : options.openRounds() * systems.size()
        * (options.trialScope() == HarnessOptions.TrialScope.SYSTEM ? 1 : options.openWorkloads().size());
    int closed = options.rounds() * systems.size() * closedCells.size();
    progress.plan(closedTrials + openTrials, closed + openCells, (closed + openCells) * cellMillis);
  }

  private List<CellSpec> openCells(Map<Workload, List<Double>> rates) {
    List<CellSpec> cells = new ArrayList<>();
    rates.forEach((w, list) -> list.forEach(rate -> cells.add(CellSpec.open(w, options.openWorkers(), rate,
        options.warmup().toMillis(), options.measure().toMillis()))));
    return cells;
  }

  private List<Trial> trials(String phase, int round, SystemUnderTest system, List<CellSpec> cells,
      TrialContext context) {
    if (options.trialScope() == HarnessOptions.TrialScope.SYSTEM) {
      return List.of(new Trial(phase, round, system, cells, context));
    }
    Map<Workload, List<CellSpec>> byWorkload = new LinkedHashMap<>();
    cells.forEach(c -> byWorkload.computeIfAbsent(c.workload(), w -> new ArrayList<>()).add(c));
    List<Trial> trials = new ArrayList<>();
    byWorkload.values().forEach(list -> trials.add(new Trial(phase, round, system, list, context)));
    return trials;
  }

  private void printHeader(Path outDir, JvmLauncher launcher, WireCounter wire, Progress progress) {
    out.printf("Courier benchmark, %s mode: %d systems, closed loop %s × concurrency %s × %d rounds, open loop %s"
            + " × %d rounds%n", options.mode(), systems.size(),
        options.workloads().stream().map(Workload::id).toList(), options.concurrencies(), options.rounds(),
        options.openWorkloads().stream().map(Workload::id).toList(), options.openRounds());
    out.printf("  warm-up %s, measure %s per cell; fresh JVMs per %s and round; JDK %s; heap %s; %s%n",
        Progress.duration(options.warmup().toMillis()), Progress.duration(options.measure().toMillis()),
        options.trialScope() == HarnessOptions.TrialScope.SYSTEM ? "system" : "system, workload",
        Runtime.version(), options.heap(), launcher.pinning());
    out.printf("  reference %s; seed %d; wire bytes %s; results in %s%n", options.reference(), options.seed(),
        wire.available() ? "from ss -ti" : "unavailable", outDir);
    out.printf("  estimated time: ~%s%n", Progress.duration(progress.millisLeft()));
  }
}
