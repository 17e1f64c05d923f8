package io.courier.internal.cluster;

import java.time.Duration;

/**
 * When to stop choosing a provider: at once when it cannot be reached, or after {@code consecutiveFailures} other
 * failures in a row. It is left out for {@code baseEjection}, doubled on every ejection that follows a failed probe,
 * up to {@code maxEjection}; then one call probes it. {@code consecutiveFailures == 0} turns ejection off.
 */
public record OutlierDetection(int consecutiveFailures, Duration baseEjection, Duration maxEjection) {

  public static final OutlierDetection DEFAULT = new OutlierDetection(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

  public OutlierDetection {
    if (consecutiveFailures < 0) {
      throw new IllegalArgumentException("consecutiveFailures: " + consecutiveFailures + " (expected: >= 0; 0 disables"
          + " outlier detection)");
    }
    if (baseEjection == null || baseEjection.isNegative() || baseEjection.isZero()) {
      throw new IllegalArgumentException("baseEjection: " + baseEjection + " (expected: > 0)");
    }
    if (maxEjection == null || maxEjection.compareTo(baseEjection) < 0) {
      throw new IllegalArgumentException("maxEjection: " + maxEjection + " (expected: >= baseEjection " + baseEjection
          + ")");
    }
  }

  boolean enabled() {
    return consecutiveFailures > 0;
  }
}
