package io.courier.bench.harness;

import java.nio.file.Path;

/**
 * The benchmark's command line. From the repository root:
 *
 * <pre>
 * mvn -B -q -pl benchmarks/harness -am -DskipTests package exec:java -Dexec.args=--quick
 * java -jar benchmarks/harness/target/courier-bench-harness.jar --full --systems courier-tcp-kryo,grpc-java
 * java -jar benchmarks/harness/target/courier-bench-harness.jar --resume benchmark-results/20261204-210000
 * </pre>
 *
 * See {@link HarnessOptions} for the options. Exits with status 1 when a cell failed, 2 on a bad command line.
 */
public final class BenchmarkMain {

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    HarnessOptions options;
    try {
      options = HarnessOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null) {
        System.err.println(e.getMessage());
      }
      System.err.print(HarnessOptions.usage());
      System.exit(e.getMessage() == null ? 0 : 2);
      return;
    }
    if (options.list()) {
      SystemCatalog.all().forEach(s -> System.out.printf("%-24s %-6s %-9s %s%n    settings: %s%n", s.name(), s.kind(),
          s.tier(), s.description(), s.settings()));
      return;
    }
    Path systemsDir = SystemsDir.locate(options.systemsDir());
    Benchmark.Result result = new Benchmark(options, systemsDir, System.out).run();
    if (result != null && !result.failures().isEmpty()) {
      System.err.println(result.failures().size() + " cell(s) failed:");
      result.failures().forEach(f -> System.err.println("  " + f));
      System.exit(1);
    }
  }
}
