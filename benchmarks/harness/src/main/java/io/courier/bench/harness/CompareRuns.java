package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The quick-versus-full calibration: reads the stored measurements of two runs (their folders'
 * {@code measurements.txt}) and, for every closed-loop cell both ran, compares the headline ratios — the pairs of
 * {@link SystemCatalog#COMPARISONS} and every system's throughput ratio to the reference — median against median.
 * The target is agreement within ±20 %; exits with status 1 if a comparison of {@link SystemCatalog#COMPARISONS}
 * misses it.
 *
 * <pre>
 * java -cp benchmarks/harness/target/courier-bench-harness.jar io.courier.bench.harness.CompareRuns \
 *      benchmark-results/quick benchmark-results/full
 * </pre>
 */
public final class CompareRuns {

  /** How far a quick ratio may lie from the full run's: ±20 %. */
  static final double TOLERANCE = 0.20;

  private CompareRuns() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CompareRuns QUICK_RUN_DIR FULL_RUN_DIR");
      System.exit(2);
    }
    List<String> off = compare(Path.of(args[0]), Path.of(args[1]), System.out);
    System.exit(off.isEmpty() ? 0 : 1);
  }

  /** Prints the comparison; returns the headline pairs that miss the tolerance. */
  static List<String> compare(Path quickDir, Path fullDir, java.io.PrintStream out) throws IOException {
    Summary quick = summary(quickDir);
    Summary full = summary(fullDir);
    List<String> off = new ArrayList<>();
    out.printf("quick: %s%nfull:  %s%nratio medians, quick vs full (target: within ±%.0f %%)%n", quickDir, fullDir,
        TOLERANCE * 100);
    for (CellKey key : quick.keys()) {
      if (key.mode() != CellSpec.Mode.CLOSED || !full.keys().contains(key)) {
        continue;
      }
      out.println();
      out.println(key.label());
      for (SystemCatalog.Comparison c : SystemCatalog.COMPARISONS) {
        String line = line(c.numerator() + " ÷ " + c.denominator(), quick.comparison(key, c.numerator(),
            c.denominator()), full.comparison(key, c.numerator(), c.denominator()));
        if (line != null) {
          out.println(line);
          if (line.endsWith("OFF")) {
            off.add(key.shortLabel() + " " + c.numerator() + " ÷ " + c.denominator());
          }
        }
      }
      for (Summary.Row r : quick.rows(key)) {
        Summary.Row f = full.row(key, r.system().name());
        if (f != null && !r.system().name().equals(quick.reference())) {
          String line = line(r.system().name() + " ÷ " + quick.reference(), r.ratio(), f.ratio());
          if (line != null) {
            out.println(line);
          }
        }
      }
    }
    out.println();
    out.println(off.isEmpty() ? "every headline comparison within ±20 %" : off.size()
        + " headline comparison(s) off by more than 20 %: " + off);
    return off;
  }

  private static String line(String name, Spread quick, Spread full) {
    if (!quick.known() || !full.known() || !(full.median() > 0)) {
      return null;
    }
    double diff = quick.median() / full.median() - 1;
    return String.format(Locale.ROOT, "  %-48s quick %-8s full %-20s %+6.1f %%  %s", name,
        Format.ratio(quick.median()), full.ratioText(), diff * 100, Math.abs(diff) <= TOLERANCE ? "ok" : "OFF");
  }

  private static Summary summary(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve(MeasurementStore.FILE))) {
      throw new IllegalArgumentException(dir + " has no " + MeasurementStore.FILE + " (expected: a run's folder)");
    }
    List<Measurement> ms = new MeasurementStore(dir).load();
    Set<SystemUnderTest> systems = new LinkedHashSet<>();
    for (SystemUnderTest s : SystemCatalog.all()) {
      if (ms.stream().anyMatch(m -> m.system().name().equals(s.name()))) {
        systems.add(s);
      }
    }
    return Summary.of(ms, List.copyOf(systems), SystemCatalog.DEFAULT_REFERENCE);
  }
}
