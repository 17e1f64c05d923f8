package io.courier.transport.netty;

import io.courier.common.RpcException;
import io.courier.common.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When a client may try to connect to one provider again: after a failed connect, not before a backoff has passed
 * that doubles with each failure (from {@code min} up to {@code max}) and starts over after a success. Calls in
 * that window fail at once with {@code UNAVAILABLE} naming the last failure and the wait, instead of each trying a
 * connect of its own. Not thread-safe: the owner (one per provider) guards it with its own lock.
 *
 * <pre>{@code
 * Status refused = backoff.refusal("cannot connect to " + endpoint);
 * if (refused != null) {
 *   return CompletableFuture.failedFuture(refused.asException());
 * }
 * connect().whenComplete((channel, error) -> { synchronized (lock) { backoff.connected(error); } });
 * }</pre>
 */
public final class ReconnectBackoff {

  private final long minNanos;
  private final long maxNanos;
  private long nextNanos;
  private long retryAtNanos;
  private Throwable lastFailure;

  /**
   * @param min the wait after a first failure, at least zero
   * @param max the longest wait; a smaller value than {@code min} means {@code min}
   */
  public ReconnectBackoff(Duration min, Duration max) {
    if (min.isNegative() || max.isNegative()) {
      throw new IllegalArgumentException("backoff: " + min + ".." + max + " (expected: >= 0)");
    }
    this.minNanos = min.toNanos();
    this.maxNanos = Math.max(minNanos, max.toNanos());
    this.nextNanos = minNanos;
  }

  /** Whether a connect may start now: none has failed since the last success, or the wait has passed. */
  public boolean mayConnect() {
    return lastFailure == null || System.nanoTime() - retryAtNanos >= 0;
  }

  /**
   * Why a connect must not start now, or {@code null} if it may.
   *
   * @param what the start of the description, e.g. {@code "cannot connect to 10.0.0.7:9000"}, or {@code null} when
   *     the failure's own message says it
   * @return {@code UNAVAILABLE} with {@code what}, the last failure's message (a status's description) and the time
   *     left, caused by the failure
   */
  public Status refusal(String what) {
    long now = System.nanoTime();
    if (lastFailure == null || now - retryAtNanos >= 0) {
      return null;
    }
    String why = lastFailure instanceof RpcException rpc ? rpc.status().description() : lastFailure.getMessage();
    return Status.UNAVAILABLE.withDescription((what == null ? "" : what + ": ") + why + "; next attempt in "
        + TimeUnit.NANOSECONDS.toMillis(retryAtNanos - now) + " ms").withCause(lastFailure);
  }

  /**
   * Records how a connect ended.
   *
   * @param failure why it failed, or {@code null} if it succeeded
   */
  public void connected(Throwable failure) {
    if (failure == null) {
      lastFailure = null;
      nextNanos = minNanos;
    } else {
      lastFailure = Status.unwrap(failure);
      retryAtNanos = System.nanoTime() + nextNanos;
      nextNanos = Math.min(maxNanos, Math.max(1, nextNanos * 2));
    }
  }
}
