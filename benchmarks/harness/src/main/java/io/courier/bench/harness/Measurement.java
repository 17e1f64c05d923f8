package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import org.HdrHistogram.Histogram;

/**
 * One cell measured once: a system, a round, a workload in closed loop at a concurrency or open loop at a rate.
 * Client numbers come from the client child's report; server CPU and allocation from the server child's
 * counters sampled at the window's edges; wire bytes from the kernel's socket counters ({@link WireCounter}).
 * Unknown values are -1. A failed cell has an {@code error} and no calls.
 */
public record Measurement(int round, SystemUnderTest system, CellSpec cell, long calls, long errors,
    String error, long elapsedNanos, long clientCpuNanos, long serverCpuNanos, long clientAllocatedBytes,
    long serverAllocatedBytes, long wireBytes, long trialStartupMillis, Histogram latencies) {

  static Measurement failed(int round, SystemUnderTest system, CellSpec cell, String error) {
    return new Measurement(round, system, cell, 0, 0, error, 0, -1, -1, -1, -1, -1, -1, new Histogram(3));
  }

  /** Whether the cell produced a result worth reading: calls, and no failed ones. */
  public boolean ok() {
    return error == null && calls > 0 && errors == 0;
  }

  public double opsPerSecond() {
    return elapsedNanos <= 0 ? 0 : calls * 1e9 / elapsedNanos;
  }

  /** {@code total} divided by the calls, or -1 when {@code total} is unknown. */
  public double perCall(long total) {
    return total < 0 || calls == 0 ? -1 : (double) total / calls;
  }

  /** Latency at {@code percentile} (0..100), nanoseconds. */
  public long latencyNanos(double percentile) {
    return latencies.getValueAtPercentile(percentile);
  }

  /** {@code closed} or {@code open}: rounds are numbered per phase. */
  public String phase() {
    return cell.mode().id();
  }

  /** The cell's identity across rounds: workload, mode, concurrency, rate. */
  public CellKey key() {
    return CellKey.of(cell);
  }
}
