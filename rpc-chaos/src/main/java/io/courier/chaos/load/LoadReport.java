package io.courier.chaos.load;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a {@link LoadDriver} did: calls sent, succeeded and failed (by status code, or by exception class for
 * failures that are not {@code RpcException}s), the latency distribution, how far a steady-rate driver fell behind
 * its schedule, successful results by tag, and the first failures in full.
 *
 * @param elapsed from start to stop (or to now, for a snapshot)
 * @param lag how late calls started against a steady rate's schedule; {@code null} for a closed loop
 * @param firstFailure when the first failure returned, from the start; {@code null} if none failed
 */
public record LoadReport(String name, int threads, double rate, Duration elapsed, long sent, long succeeded,
    Map<String, Long> failures, Map<String, Long> tags, Histogram latency, Histogram lag,
    List<String> failureSamples, Duration firstFailure, Duration lastFailure) {

  public long failed() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Failures with this status code name ({@code "UNAVAILABLE"}) or exception class simple name. */
  public long failed(String kind) {
    return failures.getOrDefault(kind, 0L);
  }

  /** Calls that had not returned when the report was made (0 after {@link LoadDriver#stop()}). */
  public long inFlight() {
    return sent - succeeded - failed();
  }

  public double maxLatencyMillis() {
    return latency.getMaxValue() / 1000.0;
  }

  public double latencyMillisAt(double percentile) {
    return latency.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Successful results with this tag. */
  public long tagged(String tag) {
    return tags.getOrDefault(tag, 0L);
  }

  /** Calls per second actually achieved. */
  public double throughput() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : (succeeded + failed()) / seconds;
  }

  /**
   * One line: {@code <name>: sent X, failed Y {UNAVAILABLE: n, ...}, max latency Z ms (p50 .., p99 .., p99.9 .. ms;
   * R calls/s for T s, N threads[, max lag L ms])}.
   */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(name).append(": sent ").append(sent).append(", failed ").append(failed()).append(' ');
    s.append(failures.toString().replace('=', ':').replace(":", ": "));
    s.append(String.format(Locale.ROOT, ", max latency %.1f ms (p50 %.2f, p99 %.2f, p99.9 %.1f ms; %.0f calls/s for"
            + " %.1f s, %d threads", maxLatencyMillis(), latencyMillisAt(50), latencyMillisAt(99),
        latencyMillisAt(99.9), throughput(), elapsed.toNanos() / 1e9, threads));
    if (rate > 0) {
      s.append(String.format(Locale.ROOT, " at %.0f/s, max lag %.1f ms", rate, lag.getMaxValue() / 1000.0));
    }
    if (inFlight() > 0) {
      s.append(", ").append(inFlight()).append(" in flight");
    }
    s.append(')');
    if (!tags.isEmpty()) {
      s.append(" by tag ").append(tags.toString().replace('=', ':').replace(":", ": "));
    }
    return s.toString();
  }

  /** The summary, then the first failures in full, for assertion messages. */
  public String details() {
    return failureSamples.isEmpty() ? summary() : summary() + "\n  first failures:\n    "
        + String.join("\n    ", failureSamples);
  }

  @Override
  public String toString() {
    return summary();
  }
}
