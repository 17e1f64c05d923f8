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
    // gRPC's service-config bounds: maxTokens in (0, 1000], tokenRatio to three decimal places (the budget counts
    // thousandths: a smaller ratio would give nothing back, and a spent budget would never refill)
    if (retryBudgetTokens < 1 || retryBudgetTokens > 1000) {
      throw new IllegalArgumentException("maxTokens: " + retryBudgetTokens + " (expected: 1..1000)");
    }
    if (!(retryBudgetRatio >= 0.001) || retryBudgetRatio > retryBudgetTokens) {
      throw new IllegalArgumentException("tokenRatio: " + retryBudgetRatio + " (expected: >= 0.001 and <="
          + " maxTokens)");
    }
  }
}
