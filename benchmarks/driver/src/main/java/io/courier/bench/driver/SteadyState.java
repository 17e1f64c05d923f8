package io.courier.bench.driver;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides when a warming load has settled: its throughput, sampled at a fixed interval, has stayed within
 * {@code ±tolerance} of its mean for the last {@code samples} samples (the benchmark's rule: ±5 % for 5 consecutive
 * seconds). A sample of zero never counts as steady: a load that completes nothing has not started.
 *
 * <pre>{@code
 * SteadyState steady = new SteadyState(5, 0.05);
 * while (!steady.add(callsInLastSecond) && !capReached) { ... }
 * }</pre>
 */
public final class SteadyState {

  /** The benchmark's rule: 5 samples (seconds, in full mode) within ±5 %. */
  public static final int SAMPLES = 5;
  public static final double TOLERANCE = 0.05;

  private final int samples;
  private final double tolerance;
  private final Deque<Double> last = new ArrayDeque<>();

  public SteadyState(int samples, double tolerance) {
    if (samples < 2 || !(tolerance > 0)) {
      throw new IllegalArgumentException("samples: " + samples + ", tolerance: " + tolerance
          + " (expected: >= 2, > 0)");
    }
    this.samples = samples;
    this.tolerance = tolerance;
  }

  public SteadyState() {
    this(SAMPLES, TOLERANCE);
  }

  /** Adds one sample (a throughput); returns whether the last {@code samples} are now steady. */
  public boolean add(double throughput) {
    last.addLast(throughput);
    if (last.size() > samples) {
      last.removeFirst();
    }
    return steady();
  }

  /** Whether the last {@code samples} samples all lie within ±tolerance of their mean. */
  public boolean steady() {
    if (last.size() < samples) {
      return false;
    }
    double sum = 0;
    for (double v : last) {
      sum += v;
    }
    double mean = sum / last.size();
    if (!(mean > 0)) {
      return false;
    }
    for (double v : last) {
      if (Math.abs(v - mean) > tolerance * mean) {
        return false;
      }
    }
    return true;
  }

  /** The index (0-based) of the sample at which {@code series} first becomes steady, or -1 if it never does. */
  public static int settlesAt(double[] series, int samples, double tolerance) {
    SteadyState s = new SteadyState(samples, tolerance);
    for (int i = 0; i < series.length; i++) {
      if (s.add(series[i])) {
        return i;
      }
    }
    return -1;
  }
}
