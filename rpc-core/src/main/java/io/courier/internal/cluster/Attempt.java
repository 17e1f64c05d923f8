package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.common.Status;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One attempt of a call on one provider, and its future: completes when the transport's future has, after recording
 * the outcome in the endpoint's health and the service's retry budget; then tells its listener, if it has one. One
 * object per attempt (the future, the callback and the record of what was tried), since every call makes one.
 * Invariant: it decrements what {@link Attempts#start} incremented exactly once, when the transport's future
 * completes.
 */
final class Attempt extends CompletableFuture<Object> implements BiConsumer<Object, Throwable> {

  /** Told when an attempt has ended, after its own future completed. */
  interface Listener {
    /** {@code failure} is the unwrapped failure, or {@code null} if {@code value} is the answer. */
    void attemptDone(Object value, Throwable failure);
  }

  private final Attempts attempts;
  private final ProviderEntry provider;
  private final Invocation invocation;
  private final RetryBudget budget;
  private final Listener listener;
  private final long started;

  Attempt(Attempts attempts, ProviderEntry provider, Invocation invocation, RetryBudget budget, Listener listener,
      long started) {
    this.attempts = attempts;
    this.provider = provider;
    this.invocation = invocation;
    this.budget = budget;
    this.listener = listener;
    this.started = started;
  }

  ProviderEntry provider() {
    return provider;
  }

  /** This attempt's own invocation: cancelling it cancels only this attempt. */
  Invocation invocation() {
    return invocation;
  }

  /** The transport's future completed. */
  @Override
  public void accept(Object value, Throwable error) {
    long now = attempts.now();
    provider.health().finished(now, now - started, Failures.outcome(error), attempts.outliers());
    if (error == null || Failures.isAnswer(error)) {
      budget.onAnswer();
    } else if (Failures.retry(error) != Failures.Retry.NEVER) {
      budget.onFailure();
    }
    Throwable failure = error == null ? null : Status.unwrap(error);
    if (failure == null) {
      complete(value);
    } else {
      completeExceptionally(failure);
    }
    if (listener != null) {
      listener.attemptDone(value, failure);
    }
  }
}
