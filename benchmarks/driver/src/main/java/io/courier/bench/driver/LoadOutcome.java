package io.courier.bench.driver;

import org.HdrHistogram.Histogram;

/**
 * What a driver measured in its window: the latency of every call that completed in it (nanoseconds; in open
 * loop from the call's intended start), the failures, the client process's resource use over the window, how long
 * the cell warmed up and whether it settled, and in open loop how well the schedule was kept.
 *
 * @param warmupMillis how long the warm-up ran
 * @param settled 1 if the throughput settled ({@link SteadyState}) before the cap, 0 if the cap ended the warm-up,
 *     -1 if the cell had a fixed warm-up (no check)
 * @param schedule open loop only, else null
 */
public record LoadOutcome(Histogram latencies, long errors, String firstError, ProcessMeters.Usage usage,
    long warmupMillis, int settled, Schedule schedule) {

  /**
   * How the open-loop schedule went in the window.
   *
   * @param rate the target, calls per second
   * @param sent calls started in the window (all were due in it: the window's schedule starts when it opens)
   * @param maxLagNanos the largest delay between a call's intended and actual start, including calls due in the
   *     window that had not started when it closed
   * @param outstanding calls started in the window still without an answer when it closed
   * @param peakCallers the most calls in flight at once during the window
   * @param asynchronous whether the calls were started through the client's asynchronous API by one scheduler thread
   *     (else blocking calls from caller threads)
   */
  public record Schedule(double rate, long sent, long maxLagNanos, long outstanding, int peakCallers,
      boolean asynchronous) {}

  public long calls() {
    return latencies.getTotalCount();
  }

  public double callsPerSecond() {
    return usage.elapsedNanos() <= 0 ? 0 : calls() * 1e9 / usage.elapsedNanos();
  }
}
