package io.courier.bench.driver;

import org.HdrHistogram.Histogram;

/**
 * What a driver measured in its window: the latency of every call that completed in it (nanoseconds; in open
 * loop from the call's intended start), the failures, and the client process's resource use over the window.
 */
public record LoadOutcome(Histogram latencies, long errors, String firstError, ProcessMeters.Usage usage) {

  public long calls() {
    return latencies.getTotalCount();
  }

  public double callsPerSecond() {
    return usage.elapsedNanos() <= 0 ? 0 : calls() * 1e9 / usage.elapsedNanos();
  }
}
