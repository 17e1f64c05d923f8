package io.courier.internal.cluster;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * gRPC's retry throttling, per service: a bucket of {@code maxTokens} tokens, full at first; every failure that
 * could be retried takes one, every answered call gives back {@code tokenRatio}; retries (and extra forks) are
 * allowed only while more than half the bucket is left. So when a whole service fails, retries stop after a few
 * calls instead of multiplying the load. Thread-safe; tokens are kept in thousandths.
 */
final class RetryBudget {

  private final int max;
  private final int threshold;
  private final int ratio;
  private final AtomicInteger tokens;

  RetryBudget(int maxTokens, double tokenRatio) {
    this.max = maxTokens * 1000;
    this.threshold = max / 2;
    this.ratio = (int) Math.round(tokenRatio * 1000);
    this.tokens = new AtomicInteger(max);
  }

  boolean allowRetry() {
    return tokens.get() > threshold;
  }

  void onFailure() {
    tokens.getAndUpdate(t -> Math.max(0, t - 1000));
  }

  void onAnswer() {
    if (tokens.get() < max) {
      tokens.getAndUpdate(t -> Math.min(max, t + ratio));
    }
  }

  /** Tokens left, for messages and tests. */
  double tokens() {
    return tokens.get() / 1000.0;
  }
}
