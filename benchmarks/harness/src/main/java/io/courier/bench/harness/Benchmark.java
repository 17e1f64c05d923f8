package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.Workload;
import io.courier.registry.zookeeper.EmbeddedZooKeeper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A whole run: randomized interleaved rounds, every system once per round in its own fresh pair of JVMs (per
 * workload too with {@code --trial-scope workload}), each trial running its closed-loop cells and then its open-loop
 * cells; then the summary on the console, the JSON and the HTML report. Every finished trial is appended to the
 * run's {@link MeasurementStore}, so that {@code --resume} continues an interrupted run where it stopped.
 */
public final class Benchmark {

  /** What a run produced. */
  public record Result(Path outputDir, Path json, Path html, List<Measurement> measurements, Summary summary,
      List<String> failures) {}

  private final HarnessOptions options;
  private final Path systemsDir;
  private final PrintStream out;
  private final List<SystemUnderTest> systems = new ArrayList<>();

  /** @throws IllegalStateException if the jar of a selected system is missing (and a trial is to run) */
  public Benchmark(HarnessOptions options, Path systemsDir, PrintStream out) {
    this.options = options;
    this.systemsDir = systemsDir;
    this.out = out;
    List<String> missing = new ArrayList<>();
    for (SystemUnderTest s : options.systems()) {
      for (Path jar : options.reportOnly() ? List.<Path>of() : List.of(s.serverJar(systemsDir),
          s.clientJar(systemsDir))) {
        if (!Files.isRegularFile(jar) && !missing.contains(jar.toString())) {
          missing.add(jar.toString());
        }
      }
      systems.add(s);
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("system jars missing: " + missing + " (build them with: mvn -B -q -pl "
          + "benchmarks/harness -am -DskipTests package)");
    }
  }

  /** The systems that run. */
  public List<SystemUnderTest> systems() {
    return List.copyOf(systems);
  }

  /**
   * Runs the benchmark: with {@code --registry zookeeper} (the default) inside an embedded ZooKeeper, started first
   * and stopped last.
   */
  public Result run() throws IOException, InterruptedException {
    if (options.dryRun()) {
      plan();
      return null;
    }
    if (options.reportOnly()) {
      return report();
    }
    EmbeddedZooKeeper zookeeper = null;
    if (options.registry().equals("zookeeper")) {
      Logging.quietZooKeeper();
      zookeeper = EmbeddedZooKeeper.start();
    }
    try {
      return run(zookeeper == null ? null : "zookeeper://" + zookeeper.connectString());
    } finally {
      if (zookeeper != null) {
        zookeeper.close();
      }
    }
  }

  private Result run(String registry) throws IOException, InterruptedException {
    OffsetDateTime started = OffsetDateTime.now();
    Path outDir = options.outputDir().toAbsolutePath().normalize();
    Files.createDirectories(outDir);
    MeasurementStore store = new MeasurementStore(outDir);
    List<Measurement> all = new ArrayList<>();
    if (options.resume()) {
      store.dropPartialLine();
      all.addAll(store.load());
    } else {
      Files.writeString(outDir.resolve(HarnessOptions.ARGUMENTS_FILE),
          String.join("\n", options.arguments()) + "\n", StandardCharsets.UTF_8);
      Files.deleteIfExists(outDir.resolve(MeasurementStore.FILE));
    }
    Set<String> done = new HashSet<>();
    all.forEach(m -> done.add(m.trial()));
    JvmLauncher launcher = new JvmLauncher(options.heap(), options.pin());
    WireCounter wire = new WireCounter();
    TrialContext context = new TrialContext(launcher, wire, systemsDir, outDir, registry);
    List<String> notes = new ArrayList<>();
    notes.add(registry == null ? "discovery: direct addresses (--registry direct)"
        : "discovery: Courier systems register and subscribe in an embedded ZooKeeper (" + registry
            + ", each trial under its own root) at setup; no measured call consults it");
    Progress progress = new Progress(out);
    progress.learn(all);

    List<List<SystemUnderTest>> orders = orders();
    boolean roundOneDone = trials(1, orders.get(0), Map.of(), context).stream().allMatch(t -> done.contains(t.id()));
    Map<Workload, Double> common = commonRates(all, notes, roundOneDone);
    for (int r = 1; r <= options.rounds(); r++) {
      progress.plan(trials(r, orders.get(r - 1), common != null ? common : placeholderRates(r), context));
    }
    printHeader(outDir, launcher, wire, progress, done.size());
    notes.forEach(n -> out.println("  " + n));

    for (int r = 1; r <= options.rounds(); r++) {
      if (common == null && r >= 2) {
        int before = notes.size();
        common = commonRates(all, notes, true);
        notes.subList(before, notes.size()).forEach(n -> out.println("  " + n));
      }
      List<Trial> trials = trials(r, orders.get(r - 1), common != null ? common : Map.of(), context);
      progress.plan(trials);
      progress.header("Round " + r + "/" + options.rounds() + ": " + String.join(" → ",
          orders.get(r - 1).stream().map(SystemUnderTest::name).toList()));
      for (Trial trial : trials) {
        if (done.contains(trial.id())) {
          progress.skipped(trial);
          continue;
        }
        List<Measurement> results = trial.run(progress);
        store.append(results);
        all.addAll(results);
      }
    }

    if (options.resume()) {
      notes.add("resumed in the same folder: trials finished before were kept (" + done.size() + ")");
    }
    Result result = summarize(started, outDir, all, notes, launcher, wire);
    out.printf("Took %s. Continue an interrupted run with: --resume %s%n", Progress.duration(progress.elapsedMillis()),
        outDir);
    return result;
  }

  /**
   * {@code --report DIR}: the summary, JSON and HTML report of the trials finished in the run's folder so far (a run
   * still going, or interrupted), with a note of how many of the planned trials that is; runs nothing.
   */
  private Result report() throws IOException {
    Path outDir = options.outputDir().toAbsolutePath().normalize();
    List<Measurement> all = new MeasurementStore(outDir).load();
    if (all.isEmpty()) {
      throw new IllegalStateException("--report " + outDir + ": no finished trial in its " + MeasurementStore.FILE);
    }
    Set<String> done = new HashSet<>();
    all.forEach(m -> done.add(m.trial()));
    TrialContext context = new TrialContext(null, null, systemsDir, outDir, null);
    List<String> notes = new ArrayList<>();
    List<List<SystemUnderTest>> orders = orders();
    boolean roundOneDone = trials(1, orders.get(0), Map.of(), context).stream().allMatch(t -> done.contains(t.id()));
    Map<Workload, Double> common = commonRates(all, notes, roundOneDone);
    int planned = 0;
    int roundsDone = 0;
    for (int r = 1; r <= options.rounds(); r++) {
      List<Trial> trials = trials(r, orders.get(r - 1), common != null ? common : placeholderRates(r), context);
      planned += trials.size();
      if (trials.stream().allMatch(t -> done.contains(t.id()))) {
        roundsDone++;
      }
    }
    notes.add(done.size() >= planned ? "made with --report from the complete run's " + MeasurementStore.FILE
        : String.format(java.util.Locale.ROOT, "made with --report while %d of the run's %d trials were finished"
            + " (%d of %d rounds complete): a partial run; --resume %s continues it", done.size(), planned,
            roundsDone, options.rounds(), outDir));
    out.println("Report of " + outDir + " (" + String.join(" ", options.arguments()) + ")");
    notes.forEach(n -> out.println("  " + n));
    OffsetDateTime started = OffsetDateTime.ofInstant(Files.getLastModifiedTime(outDir.resolve(
        HarnessOptions.ARGUMENTS_FILE)).toInstant(), java.time.ZoneId.systemDefault());
    return summarize(started, outDir, all, notes, new JvmLauncher(options.heap(), options.pin()), new WireCounter());
  }

  /** The orders of all rounds, drawn first from the seed, so that a resumed run replays the same plan. */
  private List<List<SystemUnderTest>> orders() {
    Random random = new Random(options.seed());
    List<List<SystemUnderTest>> orders = new ArrayList<>();
    for (int r = 1; r <= options.rounds(); r++) {
      List<SystemUnderTest> order = new ArrayList<>(systems);
      Collections.shuffle(order, random);
      orders.add(order);
    }
    return orders;
  }

  /** The summary on the console, {@code results.json} and {@code report.html} of {@code all}. */
  private Result summarize(OffsetDateTime started, Path outDir, List<Measurement> all, List<String> notes,
      JvmLauncher launcher, WireCounter wire) throws IOException {
    Summary summary = Summary.of(all, systems, options.reference());
    List<String> failures = new ArrayList<>();
    for (Measurement m : all) {
      if (!m.ok()) {
        failures.add(m.system().name() + " " + m.cell().label() + " (round " + m.round() + "): " + m.error());
      }
    }
    RunInfo info = new RunInfo(started, options.mode(), String.join(" ", options.arguments()),
        System.getProperty("java.vm.name") + " " + Runtime.version(), System.getProperty("os.name") + " "
        + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(), RunInfo.readCpuModel(), launcher.pinning(), launcher.flags(),
        options.heap(), options.seed(), options.reference(), options.rounds(),
        options.trialScope().name().toLowerCase(java.util.Locale.ROOT), warmupText(),
        Progress.duration(options.measure().toMillis()),
        wire.available() ? "kernel TCP counters (ss -ti: bytes_acked + bytes_received) of the client's connections"
            : "unavailable (no ss)", notes);
    new ConsoleSummary(out).print(summary, info, failures);
    Path json = outDir.resolve("results.json");
    Path html = outDir.resolve("report.html");
    JsonReport.write(json, info, systems, all, summary);
    HtmlReport.write(html, info, systems, summary, all);
    out.println();
    out.println("Raw results: " + json);
    out.println("HdrHistogram logs: " + outDir.resolve("hlog"));
    out.println("HTML report: " + html);
    return new Result(outDir, json, html, all, summary, failures);
  }

  /** {@code --dry-run}: the trials and cells a run would make, and its estimated duration; runs nothing. */
  private void plan() {
    TrialContext context = new TrialContext(null, null, systemsDir, options.outputDir(), null);
    List<List<SystemUnderTest>> orders = orders();
    Progress progress = new Progress(out);
    int cells = 0;
    for (int r = 1; r <= options.rounds(); r++) {
      List<Trial> trials = trials(r, orders.get(r - 1), placeholderRates(r), context);
      progress.plan(trials);
      out.printf("round %d: %d trials%n", r, trials.size());
      for (Trial t : trials) {
        cells += t.cells().size();
        out.printf("  %-24s %s%n", t.system().name(), String.join(", ", t.cells().stream().map(CellSpec::label)
            .toList()));
      }
    }
    out.printf("%d systems, %d cells; estimated time ~%s (at most ~%s if no cell settles before its warm-up cap),"
            + " before the build%n", systems.size(), cells, Progress.duration(progress.millisLeft(false)),
        Progress.duration(progress.millisLeft(true)));
  }

  private String warmupText() {
    if (options.step().isZero()) {
      return Progress.duration(options.warmup().toMillis()) + " fixed";
    }
    return "until steady (±5 % over 5 samples of " + Progress.duration(options.step().toMillis()) + "), at least "
        + Progress.duration(options.warmup().toMillis()) + ", at most " + Progress.duration(options.warmupCap()
        .toMillis()) + "; JVM warm-up " + Progress.duration(options.jvmWarmup().toMillis()) + " per workload"
        + (options.jvmWarmupRounds() > 1 ? ", in rounds until both JVMs' JIT is quiet and two rounds agree within"
            + " ±10 % (at most " + options.jvmWarmupRounds() + ")" : "");
  }

  /**
   * The common open-loop rate per workload: the given one; or, with {@code auto}, half the slowest saturation among
   * the systems that run open loop, from round 1's closed-loop results (null until round 1 is complete); none if 0.
   */
  private Map<Workload, Double> commonRates(List<Measurement> soFar, List<String> notes, boolean roundOneDone) {
    Map<Workload, Double> rates = new LinkedHashMap<>();
    if (options.commonRate() == 0) {
      return rates;
    }
    if (options.commonRate() > 0) {
      options.openWorkloads().forEach(w -> rates.put(w, options.commonRate()));
      return rates;
    }
    if (!roundOneDone) {
      return null;
    }
    List<SystemUnderTest> open = systems.stream().filter(options::fullCoverage).toList();
    for (Workload w : options.openWorkloads()) {
      double slowest = Double.MAX_VALUE;
      String who = null;
      for (SystemUnderTest s : open) {
        double best = soFar.stream().filter(m -> m.round() == 1 && m.ok() && m.system().name().equals(s.name())
            && m.cell().mode() == CellSpec.Mode.CLOSED && m.cell().workload() == w)
            .mapToDouble(Measurement::opsPerSecond).max().orElse(-1);
        if (best < 0) {
          continue; // failed in round 1, or cannot run it
        }
        if (best < slowest) {
          slowest = best;
          who = s.name();
        }
      }
      if (who == null) {
        continue;
      }
      double rate = Math.max(1, Math.round(slowest / 2));
      rates.put(w, rate);
      notes.add(String.format(java.util.Locale.ROOT, "common open-loop rate for %s from round 2 on: %,.0f calls/s"
          + " (half of %s's saturation in round 1, %,.0f calls/s, the lowest of the systems in open loop)", w.id(),
          rate, who, slowest));
    }
    return rates;
  }

  /**
   * For planning before round 1 is done: the given common rate, or with {@code auto} a placeholder from round 2 on,
   * replaced by the real rate once round 1 has run.
   */
  private Map<Workload, Double> placeholderRates(int round) {
    Map<Workload, Double> rates = new LinkedHashMap<>();
    if (options.commonRate() > 0 || round >= 2 && options.commonRate() < 0) {
      options.openWorkloads().forEach(w -> rates.put(w, options.commonRate() > 0 ? options.commonRate() : 1.0));
    }
    return rates;
  }

  /** The trials of round {@code round}, in {@code order}. */
  private List<Trial> trials(int round, List<SystemUnderTest> order, Map<Workload, Double> common,
      TrialContext context) {
    List<Trial> trials = new ArrayList<>();
    for (SystemUnderTest s : order) {
      List<CellSpec> cells = cells(s, common);
      if (cells.isEmpty()) {
        continue;
      }
      if (options.trialScope() == HarnessOptions.TrialScope.SYSTEM) {
        trials.add(new Trial("main", round, s, cells, context, options.jvmWarmup().toMillis(),
            options.jvmWarmupRounds()));
        continue;
      }
      Map<Workload, List<CellSpec>> byWorkload = new LinkedHashMap<>();
      cells.forEach(c -> byWorkload.computeIfAbsent(c.workload(), w -> new ArrayList<>()).add(c));
      byWorkload.values().forEach(list -> trials.add(new Trial("main", round, s, list, context,
          options.jvmWarmup().toMillis(), options.jvmWarmupRounds())));
    }
    return trials;
  }

  /**
   * A system's cells in one trial: closed loop at each concurrency for each workload it can run, then open loop at
   * each fraction of its own saturation (measured by those closed-loop cells in the same JVM) and at the common rate.
   * A {@link SystemUnderTest.Tier#CONTEXT} system in a preset's default set runs only closed loop above concurrency 1.
   */
  List<CellSpec> cells(SystemUnderTest s, Map<Workload, Double> common) {
    boolean full = options.fullCoverage(s);
    List<Integer> concurrencies = options.concurrencies();
    if (!full && concurrencies.stream().anyMatch(c -> c > 1)) {
      concurrencies = concurrencies.stream().filter(c -> c > 1).toList();
    }
    List<CellSpec> cells = new ArrayList<>();
    for (Workload w : options.workloads()) {
      if (s.workloads().contains(w)) {
        for (int c : concurrencies) {
          cells.add(steady(CellSpec.closed(w, c, options.warmup().toMillis(), options.measure().toMillis())));
        }
      }
    }
    if (!full) {
      return cells;
    }
    for (Workload w : options.openWorkloads()) {
      if (!s.workloads().contains(w)) {
        continue;
      }
      if (options.workloads().contains(w)) {
        for (double f : options.rateFractions()) {
          cells.add(steady(CellSpec.openAtFraction(w, options.maxCallers(), f, options.warmup().toMillis(),
              options.measure().toMillis())));
        }
      }
      Double rate = common.get(w);
      if (rate != null && rate > 0) {
        cells.add(steady(CellSpec.open(w, options.maxCallers(), rate, options.warmup().toMillis(),
            options.measure().toMillis())));
      }
    }
    return cells;
  }

  private CellSpec steady(CellSpec cell) {
    return options.step().isZero() ? cell : cell.warmingUntilSteady(options.warmup().toMillis(),
        options.warmupCap().toMillis(), options.step().toMillis());
  }

  private void printHeader(Path outDir, JvmLauncher launcher, WireCounter wire, Progress progress, int doneTrials) {
    out.printf("Courier benchmark, %s mode: %d systems, closed loop %s × concurrency %s, open loop %s at %s of each"
            + " system's saturation%s; %d round(s)%n", options.mode(), systems.size(),
        options.workloads().stream().map(Workload::id).toList(), options.concurrencies(),
        options.openWorkloads().stream().map(Workload::id).toList(), options.rateFractions(),
        options.commonRate() > 0 ? " and " + Format.number(options.commonRate()) + " calls/s"
            : options.commonRate() < 0 ? " and a common rate (from round 2)" : "", options.rounds());
    out.printf("  warm-up %s; measure %s per cell; fresh JVMs per %s and round; JDK %s; heap %s; %s%n",
        warmupText(), Progress.duration(options.measure().toMillis()),
        options.trialScope() == HarnessOptions.TrialScope.SYSTEM ? "system" : "system, workload",
        Runtime.version(), options.heap(), launcher.pinning());
    out.printf("  reference %s; seed %d; wire bytes %s; results in %s%n", options.reference(), options.seed(),
        wire.available() ? "from ss -ti" : "unavailable", outDir);
    if (doneTrials > 0) {
      out.printf("  resuming: %d trial(s) already done are kept%n", doneTrials);
    }
    out.printf("  estimated time: ~%s (at most ~%s if no cell settles before its warm-up cap)%n",
        Progress.duration(progress.millisLeft(false)), Progress.duration(progress.millisLeft(true)));
  }
}
