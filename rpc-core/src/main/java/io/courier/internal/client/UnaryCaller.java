package io.courier.internal.client;

import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.common.Deadline;
import io.courier.common.RpcException;
import io.courier.common.Status;
import io.courier.internal.cluster.CallPlan;
import io.courier.internal.common.ApplicationExceptions;
import io.courier.internal.common.InheritedDeadline;
import io.courier.transport.StreamListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a client's calls: makes the {@link Invocation} of a call from the method's {@link CallPlan} and its
 * arguments, with its deadline — the plan's timeout from now, capped by the deadline of the server call running on
 * this thread ({@link InheritedDeadline}) — and runs it through the client's interceptor chain. For a unary call it
 * turns the outcome into what a caller gets: the value or the exception ({@link #await}, for blocking calls), or a
 * future completed on the client's callback executor ({@link #start}, for asynchronous ones). Stubs
 * ({@link StubInvocationHandler}) and generic calls ({@link io.courier.client.GenericService}) share it, so both wait,
 * time out and fail alike. Invariant: immutable; one per client.
 */
public final class UnaryCaller {

  private static final Logger log = LoggerFactory.getLogger(UnaryCaller.class);

  private final InterceptorChain chain;
  private final Executor callbackExecutor;

  public UnaryCaller(InterceptorChain chain, Executor callbackExecutor) {
    this.chain = chain;
    this.callbackExecutor = callbackExecutor;
  }

  InterceptorChain chain() {
    return chain;
  }

  Executor callbackExecutor() {
    return callbackExecutor;
  }

  /** The invocation of a streaming call of {@code plan}'s method, with its deadline from now. */
  Invocation streaming(CallPlan plan, Object[] arguments, StreamListener listener) {
    return InternalInvocation.start(plan, arguments, deadlineFromNow(plan), false, listener);
  }

  /**
   * Runs the call and waits for it on this thread, up to its deadline (which this thread enforces itself, with no
   * timer task); returns the result or throws what the caller should see.
   */
  public Object await(CallPlan plan, Object[] arguments) throws Throwable {
    Invocation invocation = InternalInvocation.start(plan, arguments, deadlineFromNow(plan), true, null);
    CompletableFuture<Object> result = chain.start(invocation);
    try {
      return result.get(Math.max(0, invocation.deadline().remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw ApplicationExceptions.toCallerException(e.getCause(), invocation.method());
    } catch (InterruptedException e) {
      return interrupted(result, invocation, e);
    } catch (TimeoutException e) {
      DeadlineInterceptor.expire(invocation, result);
      try {
        return result.getNow(null); // an answer that raced the deadline wins, as it would against the timer
      } catch (CompletionException failed) {
        throw ApplicationExceptions.toCallerException(failed.getCause(), invocation.method());
      }
    }
  }

  /**
   * Starts the call and returns a future that completes on the callback executor, never on an I/O thread, with the
   * result or what the caller should see; cancelling the future cancels the call.
   */
  public CompletableFuture<Object> start(CallPlan plan, Object[] arguments) {
    Invocation invocation = InternalInvocation.start(plan, arguments, deadlineFromNow(plan), false, null);
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

  /** The plan's timeout from now, capped by the deadline of the server call running on this thread, if any. */
  static Deadline deadlineFromNow(CallPlan plan) {
    return Deadline.after(plan.timeout()).minimum(InheritedDeadline.get());
  }

  private static Object interrupted(CompletableFuture<Object> result, Invocation invocation, InterruptedException e) {
    Thread.currentThread().interrupt();
    RpcException cancelled = Status.CANCELLED.withDescription("caller interrupted while waiting for "
        + invocation.method().fullName()).withCause(e).asException();
    try {
      invocation.cancel(cancelled.status());
    } catch (RuntimeException listenerFailed) { // a transport's; the other listeners ran (Invocation.cancel)
      cancelled.addSuppressed(listenerFailed);
    }
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
        try {
          invocation.cancel(Status.CANCELLED.withDescription("caller cancelled " + invocation.method().fullName()));
        } catch (RuntimeException listenerFailed) {
          // a transport's; the other listeners ran (Invocation.cancel), and this future is cancelled
          log.debug("a cancellation listener of {} failed", invocation.method().fullName(), listenerFailed);
        }
      }
      return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }
}
