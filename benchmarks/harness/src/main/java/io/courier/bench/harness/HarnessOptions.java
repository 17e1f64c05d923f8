package io.courier.bench.harness;

import io.courier.bench.driver.Workload;
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
 * sets every value, and options after it override single ones; {@link #usage()} lists them.
 */
public record HarnessOptions(String mode, List<SystemUnderTest> systems, List<Workload> workloads,
    List<Integer> concurrencies, List<Workload> openWorkloads, List<Double> rateFractions, List<Double> rates,
    int openWorkers, Duration warmup, Duration measure, int rounds, int openRounds, String reference,
    TrialScope trialScope, String heap, boolean pin, String registry, Path outputDir, Path systemsDir, long seed,
    boolean list) {

  /** Which cells share a pair of JVMs. */
  public enum TrialScope {
    /** One server and one client JVM per system and round, running all its cells. */
    SYSTEM,
    /** Fresh JVMs per system, round and workload: less JIT cross-talk, more start-up time. */
    WORKLOAD
  }

  public static HarnessOptions parse(String... args) {
    List<String> a = new ArrayList<>(Arrays.asList(args));
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
        case "--no-pin" -> b.pin = false;
        case "--help", "-h" -> throw new UsageException(null);
        default -> {
          if (i + 1 >= a.size()) {
            throw new UsageException(option + " needs a value, or is unknown");
          }
          String v = a.get(++i);
          switch (option) {
            case "--systems" -> b.systems = csv(v);
            case "--workloads" -> b.workloads = workloads(v);
            case "--concurrency" -> b.concurrencies = list(v, Integer::parseInt);
            case "--open-workloads" -> b.openWorkloads = v.equals("none") ? List.of() : workloads(v);
            case "--rate-fractions" -> b.rateFractions = list(v, Double::parseDouble);
            case "--rates" -> b.rates = list(v, Double::parseDouble);
            case "--open-workers" -> b.openWorkers = Integer.parseInt(v);
            case "--warmup" -> b.warmup = duration(v);
            case "--measure" -> b.measure = duration(v);
            case "--rounds" -> b.rounds = Integer.parseInt(v);
            case "--open-rounds" -> b.openRounds = Integer.parseInt(v);
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
    return b.build();
  }

  /** The option summary, for {@code --help} and errors. */
  public static String usage() {
    String doc = """
        usage: BenchmarkMain [--quick | --full | --smoke] [options]
          --systems a,b,...              systems to run (default: all; --list shows them)
          --workloads a,b,...            closed-loop workloads: existUser,createUser,getUser,listUser,echo
          --concurrency 1,16,64          closed-loop concurrencies
          --open-workloads a,b | none    open-loop workloads
          --rate-fractions 0.25,0.5,0.75 open-loop rates as fractions of the slowest system's saturation
          --rates 1000,5000              open-loop rates in calls/s instead
          --open-workers N               threads issuing open-loop calls
          --warmup 15s --measure 30s     per cell
          --rounds N --open-rounds N     randomized interleaved rounds per phase
          --reference NAME               ratios are taken against it (default courier-tcp-kryo)
          --trial-scope system|workload  fresh JVMs per system and round, or also per workload
          --heap 1g                      -Xms = -Xmx of every child JVM
          --no-pin                       no taskset pinning
          --registry zookeeper|direct    discovery of Courier systems: an embedded ZooKeeper (default), or addresses
          --out DIR                      results folder (default benchmark-results/TIMESTAMP)
          --systems-dir DIR              folder of the system modules
          --seed N                       shuffle seed
        """;
    return doc;
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
    if (s.endsWith("ms")) {
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
    List<String> systems = SystemCatalog.all().stream().map(SystemUnderTest::name).toList();
    List<Workload> workloads = List.of(Workload.values());
    List<Integer> concurrencies;
    List<Workload> openWorkloads;
    List<Double> rateFractions;
    List<Double> rates = List.of();
    int openWorkers = 64;
    Duration warmup;
    Duration measure;
    int rounds;
    int openRounds;
    String reference = SystemCatalog.DEFAULT_REFERENCE;
    TrialScope trialScope;
    String heap;
    boolean pin = true;
    String registry = "zookeeper";
    Path outputDir;
    Path systemsDir;
    Long seed;
    boolean list;

    /** Real numbers: three concurrencies, three open-loop rates, 15 s warm-up, five rounds. Takes hours. */
    static Builder full() {
      Builder b = new Builder();
      b.mode = "full";
      b.concurrencies = List.of(1, 16, 64);
      b.openWorkloads = List.of(Workload.EXIST_USER, Workload.GET_USER, Workload.LIST_USER);
      b.rateFractions = List.of(0.25, 0.5, 0.75);
      b.warmup = Duration.ofSeconds(15);
      b.measure = Duration.ofSeconds(20);
      b.rounds = 5;
      b.openRounds = 3;
      b.trialScope = TrialScope.WORKLOAD;
      b.heap = "1g";
      return b;
    }

    /**
     * A few minutes on two cores (about 6 for the 14 systems): concurrency 16, two rounds, one open-loop rate, short
     * cells. For the README.
     */
    static Builder quick() {
      Builder b = new Builder();
      b.mode = "quick";
      b.concurrencies = List.of(16);
      b.openWorkloads = List.of(Workload.EXIST_USER);
      b.rateFractions = List.of(0.5);
      b.warmup = Duration.ofMillis(800);
      b.measure = Duration.ofMillis(1200);
      b.rounds = 2;
      b.openRounds = 1;
      b.trialScope = TrialScope.SYSTEM;
      b.heap = "512m";
      return b;
    }

    /**
     * Every system for a second or two, one pair of JVMs each (the open-loop rate is fixed so that it runs in the
     * same trial): does the machinery work? Measures nothing worth reading.
     */
    static Builder smoke() {
      Builder b = quick();
      b.mode = "smoke";
      b.concurrencies = List.of(4);
      b.rates = List.of(200.0);
      b.openWorkers = 8;
      // long enough that a cold JVM completes a 1 MiB echo in the window even on a loaded machine (REST over h2 in
      // interpreted code takes a few hundred ms per call when the cores are shared)
      b.warmup = Duration.ofMillis(300);
      b.measure = Duration.ofMillis(600);
      b.rounds = 1;
      b.heap = "256m";
      b.pin = false; // JVMs start faster on every core; nothing here is read as a measurement
      return b;
    }

    HarnessOptions build() {
      if (rounds < 1 || openRounds < 1) {
        throw new UsageException("rounds: " + rounds + "/" + openRounds + " (expected: >= 1)");
      }
      if (concurrencies.isEmpty() && !workloads.isEmpty() || concurrencies.stream().anyMatch(c -> c < 1)) {
        throw new UsageException("concurrency: " + concurrencies + " (expected: numbers >= 1)");
      }
      if (!registry.equals("direct") && !registry.equals("zookeeper")) {
        throw new UsageException("registry: " + registry + " (expected: zookeeper, an embedded ZooKeeper the harness"
            + " starts, or direct)");
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
      return new HarnessOptions(mode, chosen, workloads, concurrencies, openWorkloads, rateFractions, rates,
          openWorkers, warmup, measure, rounds, openRounds, reference, trialScope, heap, pin, registry, out,
          systemsDir, s, list);
    }
  }
}
