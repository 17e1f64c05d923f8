package io.courier.bench.harness;

import io.courier.bench.driver.SteadyState;
import io.courier.bench.driver.Workload;
import io.courier.bench.harness.SystemUnderTest.Tier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What to run, from the command line: a preset ({@code --quick}, {@code --full}, the default, or {@code --smoke})
 * sets every value, and options after it override single ones; {@link #usage()} lists them. {@code --resume DIR}
 * takes the command line of the run in {@code DIR} (saved there as {@value #ARGUMENTS_FILE}) and continues it;
 * {@code --report DIR} takes it too, runs nothing and writes the summary and reports of the trials finished there.
 *
 * @param commonRate the common absolute open-loop rate: {@code > 0} given, 0 none, -1 derived after the first round
 *     (half the slowest system's saturation on the workload)
 * @param reduceContext whether {@link Tier#CONTEXT} systems run only their reduced set of cells (see the tier)
 * @param reportOnly {@code --report DIR}: no trial runs; the summary and reports are made from what {@code DIR} holds
 * @param arguments the effective command line, with the seed and the output folder, for {@code --resume}
 */
public record HarnessOptions(String mode, List<SystemUnderTest> systems, List<Workload> workloads,
    List<Integer> concurrencies, List<Workload> openWorkloads, List<Double> rateFractions, double commonRate,
    int maxCallers, Duration warmup, Duration warmupCap, Duration step, Duration measure, Duration jvmWarmup,
    int jvmWarmupRounds, int rounds, String reference, TrialScope trialScope, String heap, boolean pin,
    String registry, Path outputDir,
    Path systemsDir, long seed, boolean list, boolean resume, boolean reduceContext, boolean dryRun,
    boolean reportOnly, List<String> arguments) {

  /** Where a run keeps its command line, for {@code --resume}. */
  public static final String ARGUMENTS_FILE = "arguments.txt";

  /** Which cells share a pair of JVMs. */
  public enum TrialScope {
    /** One server and one client JVM per system and round, running all its cells (warmed on all its workloads). */
    SYSTEM,
    /** Fresh JVMs per system, round and workload: less JIT cross-talk, more start-up time. */
    WORKLOAD
  }

  public static HarnessOptions parse(String... args) {
    List<String> a = new ArrayList<>(Arrays.asList(args));
    for (String folderOption : List.of("--resume", "--report")) {
      int at = a.indexOf(folderOption);
      if (at < 0) {
        continue;
      }
      if (at + 1 >= a.size() || a.size() > 2) {
        throw new UsageException(folderOption + " takes the folder of a run, and nothing else (the run's own options"
            + " are in its " + ARGUMENTS_FILE + ")");
      }
      Path dir = Path.of(a.get(at + 1));
      List<String> saved = savedArguments(dir);
      HarnessOptions o = parse(saved.toArray(String[]::new));
      return o.inFolder(dir, folderOption.equals("--report"));
    }
    Builder b = Builder.full();
    if (a.remove("--quick")) {
      b = Builder.quick();
    } else if (a.remove("--smoke")) {
      b = Builder.smoke();
    } else {
      a.remove("--full");
    }
    for (int i = 0; i < a.size(); i++) {
      String option = a.get(i);
      switch (option) {
        case "--list" -> b.list = true;
        case "--dry-run" -> b.dryRun = true;
        case "--no-pin" -> b.pin = false;
        case "--help", "-h" -> throw new UsageException(null);
        default -> {
          if (i + 1 >= a.size()) {
            throw new UsageException(option + " needs a value, or is unknown");
          }
          String v = a.get(++i);
          switch (option) {
            case "--systems" -> {
              b.systems = v.equals("all") ? SystemCatalog.all().stream().map(SystemUnderTest::name).toList()
                  : csv(v);
              b.reduceContext = false; // named systems run every cell
            }
            case "--workloads" -> b.workloads = workloads(v);
            case "--concurrency" -> b.concurrencies = list(v, Integer::parseInt);
            case "--open-workloads" -> b.openWorkloads = v.equals("none") ? List.of() : workloads(v);
            case "--rate-fractions" -> b.rateFractions = v.equals("none") ? List.of() : list(v, Double::parseDouble);
            case "--common-rate" -> b.commonRate = v.equals("auto") ? -1 : v.equals("none") ? 0
                : Double.parseDouble(v);
            case "--max-callers" -> b.maxCallers = Integer.parseInt(v);
            case "--warmup" -> b.warmup = duration(v);
            case "--warmup-cap" -> b.warmupCap = duration(v);
            case "--steady-step" -> b.step = duration(v);
            case "--measure" -> b.measure = duration(v);
            case "--jvm-warmup" -> b.jvmWarmup = duration(v);
            case "--jvm-warmup-rounds" -> b.jvmWarmupRounds = Integer.parseInt(v);
            case "--rounds" -> b.rounds = Integer.parseInt(v);
            case "--reference" -> b.reference = v;
            case "--trial-scope" -> b.trialScope = TrialScope.valueOf(v.toUpperCase(Locale.ROOT));
            case "--heap" -> b.heap = v;
            case "--registry" -> b.registry = v;
            case "--out" -> b.outputDir = Path.of(v);
            case "--systems-dir" -> b.systemsDir = Path.of(v);
            case "--seed" -> b.seed = Long.parseLong(v);
            default -> throw new UsageException("unknown option " + option);
          }
        }
      }
    }
    return b.build(args);
  }

  private static List<String> savedArguments(Path dir) {
    Path file = dir.resolve(ARGUMENTS_FILE);
    if (!Files.isRegularFile(file)) {
      throw new UsageException("--resume " + dir + ": no " + ARGUMENTS_FILE + " there (expected: the folder of a run"
          + " this harness started)");
    }
    try {
      return Arrays.stream(Files.readString(file, StandardCharsets.UTF_8).split("\n")).filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The options of the run in {@code dir}, to continue it ({@code --resume}) or to report on it. */
  private HarnessOptions inFolder(Path dir, boolean report) {
    return new HarnessOptions(mode, systems, workloads, concurrencies, openWorkloads, rateFractions, commonRate,
        maxCallers, warmup, warmupCap, step, measure, jvmWarmup, jvmWarmupRounds, rounds, reference, trialScope, heap,
        pin, registry, dir, systemsDir, seed, list, !report, reduceContext, dryRun, report, arguments);
  }

  /** Whether {@code system} runs all cells (false: a {@link Tier#CONTEXT} system in its reduced set). */
  public boolean fullCoverage(SystemUnderTest system) {
    return !reduceContext || system.tier() != Tier.CONTEXT;
  }

  /** The option summary, for {@code --help} and errors. */
  public static String usage() {
    return """
        usage: BenchmarkMain [--quick | --full | --smoke] [options]   or   BenchmarkMain --resume DIR | --report DIR
          --systems a,b,...|all          systems to run (default: the preset's; --list shows them all)
          --workloads a,b,...            closed-loop workloads: existUser,createUser,getUser,listUser,echo
          --concurrency 1,16,64          closed-loop concurrencies
          --open-workloads a,b | none    open-loop workloads
          --rate-fractions 0.25,0.5,0.75 open-loop rates as fractions of each system's own saturation | none
          --common-rate N|auto|none      one common open-loop rate for every system (auto: half the slowest
                                         system's saturation, measured in round 1, used from round 2)
          --max-callers N                most caller threads of an open-loop cell
          --warmup 5s --warmup-cap 20s   least and most warm-up per cell; warm-up ends when the throughput sampled
          --steady-step 1s               every step stayed within ±5 % for 5 samples (step 0: fixed warm-up)
          --measure 5s                   measured window per cell
          --jvm-warmup 2s                per workload, before a JVM's first cell
          --jvm-warmup-rounds 1          at most this many rounds of it, until both JVMs' JIT compilers spent at
                                         most 5 % of a round compiling and two rounds agree within ±10 %
          --rounds N                     randomized interleaved rounds
          --reference NAME               ratios are taken against it (default courier-tcp-kryo)
          --trial-scope system|workload  fresh JVMs per system and round, or also per workload
          --heap 1g                      -Xms = -Xmx of every child JVM
          --no-pin                       no taskset pinning
          --registry zookeeper|direct    discovery of Courier systems: an embedded ZooKeeper (default), or addresses
          --out DIR                      results folder (default benchmark-results/TIMESTAMP)
          --systems-dir DIR              folder of the system modules
          --seed N                       shuffle seed
          --resume DIR                   continue the run in DIR (its own options; finished trials are kept)
          --report DIR                   run nothing: the summary, results.json and report.html of the trials
                                         finished in DIR so far (a run still going, or interrupted)
          --dry-run                      print the plan (trials, cells) and the time estimate, run nothing
        """;
  }

  private static List<String> csv(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static <T> List<T> list(String v, Function<String, T> parse) {
    return csv(v).stream().map(parse).toList();
  }

  private static List<Workload> workloads(String v) {
    return list(v, Workload::of);
  }

  static Duration duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (s.equals("0")) {
      return Duration.ZERO;
    } else if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    } else if (s.endsWith("s")) {
      return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
    } else if (s.endsWith("m")) {
      return Duration.ofSeconds(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60));
    }
    throw new UsageException("duration: " + v + " (expected: 500ms, 15s or 2m)");
  }

  /** A command line that cannot be run; the message says why. */
  public static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The presets, then overrides. */
  private static final class Builder {
    String mode;
    List<String> systems;
    List<Workload> workloads = List.of(Workload.values());
    List<Integer> concurrencies;
    List<Workload> openWorkloads;
    List<Double> rateFractions;
    double commonRate;
    int maxCallers = 1024;
    Duration warmup;
    Duration warmupCap;
    Duration step;
    Duration measure;
    Duration jvmWarmup;
    int jvmWarmupRounds = 1;
    int rounds;
    String reference = SystemCatalog.DEFAULT_REFERENCE;
    TrialScope trialScope = TrialScope.SYSTEM;
    String heap;
    boolean pin = true;
    String registry = "zookeeper";
    Path outputDir;
    Path systemsDir;
    Long seed;
    boolean list;
    boolean reduceContext = true;
    boolean dryRun;

    private static List<String> names(Tier tier) {
      return SystemCatalog.upTo(tier).stream().map(SystemUnderTest::name).toList();
    }

    /**
     * Real numbers: the headline and context systems, concurrency 1/16/64, open loop on existUser and listUser at
     * 25/50/75 % of each system's own saturation plus a common rate, each cell warmed until steady (±5 % for 5 s,
     * at most 20 s) and measured 5 s, three rounds. About three and a half hours on two cores; resumable.
     */
    static Builder full() {
      Builder b = new Builder();
      b.mode = "full";
      b.systems = names(Tier.CONTEXT);
      b.concurrencies = List.of(1, 16, 64);
      b.openWorkloads = List.of(Workload.EXIST_USER, Workload.LIST_USER);
      b.rateFractions = List.of(0.25, 0.5, 0.75);
      b.commonRate = -1;
      b.warmup = Duration.ofSeconds(SteadyState.SAMPLES);
      b.warmupCap = Duration.ofSeconds(20);
      b.step = Duration.ofSeconds(1);
      b.measure = Duration.ofSeconds(5);
      b.jvmWarmup = Duration.ofSeconds(2);
      b.rounds = 3;
      b.heap = "1g";
      return b;
    }

    /**
     * The README's run, under ten minutes on two cores with the build: the headline systems on the two headline
     * workloads (existUser, listUser) at concurrency 16, one round; each JVM warmed on both for 2 s a round until its
     * JIT is quiet and two rounds agree (at most 4 rounds), each cell warmed until steady on 300 ms samples (1.5–4 s)
     * and measured 2 s; open loop on existUser at half of each system's saturation and at 1,000 calls/s. Fewer
     * workloads, each warmed longer, agreed with the full run far better than all five in short slices
     * (RESULTS.md, "Quick mode, fourth attempt").
     */
    static Builder quick() {
      Builder b = new Builder();
      b.mode = "quick";
      b.systems = names(Tier.HEADLINE);
      b.workloads = List.of(Workload.EXIST_USER, Workload.LIST_USER);
      b.concurrencies = List.of(16);
      b.openWorkloads = List.of(Workload.EXIST_USER);
      b.rateFractions = List.of(0.5);
      b.commonRate = 1000;
      b.warmup = Duration.ofMillis(1500);
      b.warmupCap = Duration.ofSeconds(4);
      b.step = Duration.ofMillis(300);
      b.measure = Duration.ofSeconds(2);
      b.jvmWarmup = Duration.ofSeconds(2);
      // 4 rounds of 2 s; 12 rounds took quick mode to 9.5 min (without the common rate) and agreed no better
      b.jvmWarmupRounds = 4;
      b.rounds = 1;
      b.heap = "512m";
      return b;
    }

    /**
     * Every system in the catalog for well under a second per cell, one pair of JVMs each: does the machinery work?
     * Measures nothing worth reading.
     */
    static Builder smoke() {
      Builder b = quick();
      b.mode = "smoke";
      b.systems = names(Tier.EXTRA);
      b.workloads = List.of(Workload.values());
      b.reduceContext = false;
      b.concurrencies = List.of(4);
      b.commonRate = 200;
      b.maxCallers = 64;
      // long enough that a cold JVM completes a 1 MiB echo in the window even on a loaded machine (REST over h2 in
      // interpreted code takes a few hundred ms per call when the cores are shared)
      b.warmup = Duration.ofMillis(100);
      b.warmupCap = Duration.ofMillis(300);
      b.step = Duration.ofMillis(50);
      b.measure = Duration.ofMillis(400);
      b.jvmWarmup = Duration.ofMillis(60);
      b.jvmWarmupRounds = 1;
      b.rounds = 1;
      b.heap = "256m";
      b.pin = false; // JVMs start faster on every core; nothing here is read as a measurement
      return b;
    }

    HarnessOptions build(String[] original) {
      if (rounds < 1) {
        throw new UsageException("rounds: " + rounds + " (expected: >= 1)");
      }
      if (jvmWarmupRounds < 1) {
        throw new UsageException("--jvm-warmup-rounds: " + jvmWarmupRounds + " (expected: >= 1)");
      }
      if (concurrencies.isEmpty() && !workloads.isEmpty() || concurrencies.stream().anyMatch(c -> c < 1)) {
        throw new UsageException("concurrency: " + concurrencies + " (expected: numbers >= 1)");
      }
      if (!registry.equals("direct") && !registry.equals("zookeeper")) {
        throw new UsageException("registry: " + registry + " (expected: zookeeper, an embedded ZooKeeper the harness"
            + " starts, or direct)");
      }
      if (rateFractions.stream().anyMatch(f -> !(f > 0) || f > 1) || maxCallers < 1) {
        throw new UsageException("rate fractions: " + rateFractions + ", max callers: " + maxCallers
            + " (expected: fractions in (0, 1], callers >= 1)");
      }
      if (warmupCap.compareTo(warmup) < 0) {
        warmupCap = warmup;
      }
      List<SystemUnderTest> chosen;
      try {
        chosen = SystemCatalog.select(systems);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      if (chosen.isEmpty()) {
        throw new UsageException("no system selected");
      }
      if (chosen.stream().noneMatch(s -> s.name().equals(reference))) {
        reference = chosen.get(0).name(); // ratios need a reference that ran
      }
      Path out = outputDir != null ? outputDir : Path.of("benchmark-results",
          LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      long s = seed != null ? seed : new java.util.Random().nextLong();
      List<String> effective = new ArrayList<>(Arrays.asList(original));
      if (seed == null) {
        effective.addAll(List.of("--seed", String.valueOf(s)));
      }
      if (outputDir == null) {
        effective.addAll(List.of("--out", out.toString()));
      }
      return new HarnessOptions(mode, chosen, workloads, concurrencies, openWorkloads, rateFractions, commonRate,
          maxCallers, warmup, warmupCap, step, measure, jvmWarmup, jvmWarmupRounds, rounds, reference, trialScope, heap,
        pin, registry,
          out, systemsDir, s, list, false, reduceContext, dryRun, false, List.copyOf(effective.stream()
              .filter(x -> !x.equals("--dry-run")).toList()));
    }
  }
}
