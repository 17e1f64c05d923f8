package io.courier.internal.cluster;

import io.courier.cluster.ClusterMode;
import io.courier.cluster.LoadBalancers;

/**
 * A client's cluster defaults: balancer, mode, retry budget (gRPC's maxTokens and tokenRatio), outlier detection,
 * slow start.
 */
public record ClusterSettings(String defaultBalancer, ClusterMode defaultMode, int retryBudgetTokens,
    double retryBudgetRatio, OutlierDetection outliers, SlowStart slowStart) {

  public static final ClusterSettings DEFAULT = new ClusterSettings(LoadBalancers.DEFAULT, ClusterMode.FAILOVER, 100,
      0.1, OutlierDetection.DEFAULT, SlowStart.DEFAULT);

  public ClusterSettings {
    if (retryBudgetTokens < 1) {
      throw new IllegalArgumentException("maxTokens: " + retryBudgetTokens + " (expected: >= 1)");
    }
    if (!(retryBudgetRatio > 0) || retryBudgetRatio > retryBudgetTokens) {
      throw new IllegalArgumentException("tokenRatio: " + retryBudgetRatio + " (expected: > 0 and <= maxTokens)");
    }
  }
}
