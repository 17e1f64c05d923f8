package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.Workload;
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

  public Benchmark(HarnessOptions options, Path systemsDir, PrintStream out) {
    this.options = options;
    this.systemsDir = systemsDir;
    this.out = out;
  }

  public Result run(String arguments) throws IOException, InterruptedException {
    checkJars();
    Path outDir = options.outputDir().toAbsolutePath().normalize();
    Files.createDirectories(outDir);
    JvmLauncher launcher = new JvmLauncher(options.heap(), options.pin());
    WireCounter wire = new WireCounter();
    TrialContext context = new TrialContext(launcher, wire, systemsDir, outDir, registryAddress());
    Random random = new Random(options.seed());
    List<String> notes = new ArrayList<>();
    Progress progress = new Progress(out);
    List<SystemUnderTest> systems = options.systems();

    // Phase 1: the closed-loop cells, plus the open-loop ones when their rates are given in calls/s.
    List<CellSpec> firstCells = new ArrayList<>();
    for (Workload w : options.workloads()) {
      for (int c : options.concurrencies()) {
        firstCells.add(CellSpec.closed(w, c, options.warmup().toMillis(), options.measure().toMillis()));
      }
    }
    boolean ratesGiven = !options.rates().isEmpty();
    if (ratesGiven) {
      firstCells.addAll(openCells(OpenLoopRates.plan(options, null, notes)));
    }
    List<Round> firstRounds = new ArrayList<>();
    if (!firstCells.isEmpty()) {
      String phase = ratesGiven ? "rounds" : "closed";
      for (int r = 1; r <= options.rounds(); r++) {
        int round = r;
        String title = (ratesGiven ? "Closed and open loop" : "Closed loop") + ", round " + round + "/"
            + options.rounds();
        firstRounds.add(Round.shuffled(title, systems, s -> trials(phase, round, s, firstCells, context), random));
      }
    }
    for (Round round : firstRounds) {
      progress.plan(round.trials().size(), round.trials().stream().mapToInt(t -> t.cells().size()).sum(),
          round.trials().stream().mapToLong(Trial::cellMillis).sum());
    }
    // Phase 2: open loop at fractions of the slowest system's saturation, known once phase 1 has run.
    int openCellsPerSystem = ratesGiven ? 0 : options.openWorkloads().size() * options.rateFractions().size();
    if (openCellsPerSystem > 0) {
      int trialsPerSystem = options.trialScope() == HarnessOptions.TrialScope.WORKLOAD
          ? options.openWorkloads().size() : 1;
      progress.plan(options.openRounds() * systems.size() * trialsPerSystem,
          options.openRounds() * systems.size() * openCellsPerSystem,
          (long) options.openRounds() * systems.size() * openCellsPerSystem
              * (options.warmup().toMillis() + options.measure().toMillis()));
    }

    printHeader(outDir, launcher, wire, progress);
    notes.forEach(n -> out.println("  " + n));
    List<Measurement> all = new ArrayList<>();
    for (Round round : firstRounds) {
      all.addAll(round.run(progress));
    }
    if (openCellsPerSystem > 0) {
      Summary closed = Summary.of(all, systems, options.reference());
      int before = notes.size();
      List<CellSpec> open = openCells(OpenLoopRates.plan(options, closed, notes));
      notes.subList(before, notes.size()).forEach(n -> out.println("  " + n));
      if (!open.isEmpty()) {
        for (int r = 1; r <= options.openRounds(); r++) {
          int number = r;
          Round round = Round.shuffled("Open loop, round " + number + "/" + options.openRounds(), systems,
              s -> trials("open", number, s, open, context), random);
          all.addAll(round.run(progress));
        }
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
    RunInfo info = new RunInfo(OffsetDateTime.now(), options.mode(), arguments, System.getProperty("java.vm.name")
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

  /** The address child JVMs get for discovery; null while systems are given direct addresses. */
  private String registryAddress() {
    // With rpc-registry (issue 3): start EmbeddedZooKeeper here when options.registry() is "zookeeper", return
    // "zookeeper://127.0.0.1:" + its port, and close it after the run. Trial passes it on as --registry.
    return null;
  }

  private void checkJars() {
    List<String> missing = new ArrayList<>();
    for (SystemUnderTest s : options.systems()) {
      if (!Files.isRegularFile(s.jar(systemsDir))) {
        missing.add(s.jar(systemsDir).toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("system jars missing: " + missing + " (build them with: mvn -B -q -pl "
          + "benchmarks/harness -am -DskipTests package)");
    }
  }

  private void printHeader(Path outDir, JvmLauncher launcher, WireCounter wire, Progress progress) {
    out.printf("Courier benchmark, %s mode: %d systems, closed loop %s × concurrency %s × %d rounds, open loop %s"
            + " × %d rounds%n", options.mode(), options.systems().size(),
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
