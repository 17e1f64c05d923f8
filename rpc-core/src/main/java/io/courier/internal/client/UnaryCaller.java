package io.courier.internal.client;

import io.courier.client.Invocation;
import io.courier.common.Deadline;
import io.courier.common.RpcException;
import io.courier.common.Status;
import io.courier.internal.common.ApplicationExceptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a unary {@link Invocation} through a client's interceptor chain and turns its outcome into what a caller gets:
 * the value or the exception ({@link #await}, for blocking calls), or a future completed on the client's callback
 * executor ({@link #start}, for asynchronous ones). Stubs ({@link StubInvocationHandler}) and generic calls
 * ({@link io.courier.client.GenericService}) share it, so both wait, time out and fail alike. Invariant: immutable;
 * one per client.
 */
public final class UnaryCaller {

  /** How long a blocked caller waits past its deadline before giving up on the timer. */
  private static final long WAIT_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final InterceptorChain chain;
  private final DeadlineInterceptor deadlines;
  private final Executor callbackExecutor;

  public UnaryCaller(InterceptorChain chain, DeadlineInterceptor deadlines, Executor callbackExecutor) {
    this.chain = chain;
    this.deadlines = deadlines;
    this.callbackExecutor = callbackExecutor;
  }

  InterceptorChain chain() {
    return chain;
  }

  Executor callbackExecutor() {
    return callbackExecutor;
  }

  /**
   * Runs the call and waits for it on this thread, up to its deadline (which this thread enforces itself, with no
   * timer task); returns the result or throws what the caller should see.
   */
  public Object await(Invocation invocation) throws Throwable {
    CompletableFuture<Object> result;
    Deadline deadline;
    DeadlineInterceptor.callerWillWait();
    try {
      result = chain.start(invocation);
    } finally {
      deadline = DeadlineInterceptor.takeDeadline();
    }
    return deadline != null ? awaitUntil(result, invocation, deadline) : awaitTimeout(result, invocation);
  }

  /**
   * Starts the call and returns a future that completes on the callback executor, never on an I/O thread, with the
   * result or what the caller should see; cancelling the future cancels the call.
   */
  public CompletableFuture<Object> start(Invocation invocation) {
    CompletableFuture<Object> result = chain.start(invocation);
    CallerFuture callerFuture = new CallerFuture(invocation);
    result.whenComplete((value, error) -> {
      if (callerFuture.isDone()) {
        return;
      }
      try {
        callbackExecutor.execute(() -> complete(callerFuture, value, error, invocation));
      } catch (RuntimeException rejected) { // executor shut down: complete here rather than never
        complete(callerFuture, value, error, invocation);
      }
    });
    return callerFuture;
  }

  private Object awaitTimeout(CompletableFuture<Object> result, Invocation invocation) throws Throwable {
    Duration timeout = deadlines.timeoutFor(invocation);
    long waitNanos = saturatedAdd(timeout.toNanos(), WAIT_SLACK_NANOS);
    try {
      return result.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw ApplicationExceptions.toCallerException(e.getCause(), invocation.method());
    } catch (InterruptedException e) {
      return interrupted(result, invocation, e);
    } catch (TimeoutException e) {
      // The deadline timer should have fired long before; never wait forever regardless.
      RpcException exceeded = Status.DEADLINE_EXCEEDED.withDescription("no result for "
          + invocation.method().fullName() + " within " + timeout.toMillis() + " ms").asException();
      invocation.cancel(exceeded.status());
      result.completeExceptionally(exceeded);
      throw exceeded;
    }
  }

  /** Waits for a call whose deadline this thread enforces (the deadline interceptor set no timer for it). */
  private Object awaitUntil(CompletableFuture<Object> result, Invocation invocation, Deadline deadline)
      throws Throwable {
    try {
      return result.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw ApplicationExceptions.toCallerException(e.getCause(), invocation.method());
    } catch (InterruptedException e) {
      return interrupted(result, invocation, e);
    } catch (TimeoutException e) {
      DeadlineInterceptor.expire(invocation, deadlines.timeoutFor(invocation), result);
      try {
        return result.getNow(null); // an answer that raced the deadline wins, as it would against the timer
      } catch (CompletionException failed) {
        throw ApplicationExceptions.toCallerException(failed.getCause(), invocation.method());
      }
    }
  }

  private static Object interrupted(CompletableFuture<Object> result, Invocation invocation, InterruptedException e) {
    Thread.currentThread().interrupt();
    RpcException cancelled = Status.CANCELLED.withDescription("caller interrupted while waiting for "
        + invocation.method().fullName()).withCause(e).asException();
    invocation.cancel(cancelled.status());
    result.completeExceptionally(cancelled);
    throw cancelled;
  }

  private static void complete(CallerFuture future, Object value, Throwable error, Invocation invocation) {
    if (error == null) {
      future.complete(value);
    } else {
      future.completeExceptionally(ApplicationExceptions.toCallerException(error, invocation.method()));
    }
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** The future an asynchronous call returns; cancelling it cancels the call. */
  private static final class CallerFuture extends CompletableFuture<Object> {
    private final Invocation invocation;

    CallerFuture(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        invocation.cancel(Status.CANCELLED.withDescription("caller cancelled " + invocation.method().fullName()));
      }
      return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }
}
