package io.courier.bench.harness;

import io.courier.bench.driver.CellSpec;
import io.courier.bench.driver.LoadOutcome;
import io.courier.bench.driver.OpenLoopDriver;
import org.HdrHistogram.Histogram;

/**
 * One cell measured once: a system, a round, a workload in closed loop at a concurrency or open loop at a rate.
 * Client numbers come from the client child's report; server CPU and allocation from the server child's
 * counters sampled at the window's edges; wire bytes from the kernel's socket counters ({@link WireCounter}).
 * Unknown values are -1. A failed cell has an {@code error} and no calls.
 *
 * @param trial the trial (pair of JVMs) it ran in, as {@code --resume} knows it
 * @param warmupMillis how long the cell warmed up; -1 unknown
 * @param settled 1 settled within the cap, 0 measured at the cap without settling, -1 fixed warm-up
 * @param schedule open loop: how the schedule went; null in closed loop
 * @param firstError the first failed call's exception, or null
 */
public record Measurement(String trial, int round, SystemUnderTest system, CellSpec cell, long calls, long errors,
    String error, long elapsedNanos, long clientCpuNanos, long serverCpuNanos, long clientAllocatedBytes,
    long serverAllocatedBytes, long wireBytes, long trialStartupMillis, long warmupMillis, int settled,
    LoadOutcome.Schedule schedule, String firstError, Histogram latencies) {

  static Measurement failed(String trial, int round, SystemUnderTest system, CellSpec cell, String error) {
    return new Measurement(trial, round, system, cell, 0, 0, error, 0, -1, -1, -1, -1, -1, -1, -1, -1, null, null,
        new Histogram(3));
  }

  /**
   * Whether the cell produced a result worth reading: calls, and in closed loop no failed ones. In open loop a server
   * that refuses calls it has no room for (a full worker pool) has not kept the schedule: the cell is a result,
   * reported as unable to sustain its rate.
   */
  public boolean ok() {
    return error == null && calls > 0 && (errors == 0 || schedule != null);
  }

  /**
   * Open loop: whether it kept its schedule ({@link OpenLoopDriver#sustained}) without a failed call; closed loop:
   * always.
   */
  public boolean sustained() {
    return schedule == null || errors == 0 && OpenLoopDriver.sustained(schedule.rate(), calls, elapsedNanos,
        schedule.maxLagNanos(), schedule.peakCallers(), OpenLoopDriver.maxInFlight(cell, schedule.asynchronous()));
  }

  /** Whether the warm-up ended at its cap without the throughput settling. */
  public boolean unsettled() {
    return settled == 0;
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

  /** {@code closed} or {@code open}. */
  public String phase() {
    return cell.mode().id();
  }

  /** The cell's identity across rounds and systems: workload, mode, concurrency, fraction or common rate. */
  public CellKey key() {
    return CellKey.of(cell);
  }
}
