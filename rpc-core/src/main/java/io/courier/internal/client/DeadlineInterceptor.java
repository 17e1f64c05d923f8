package io.courier.internal.client;

import io.courier.client.ClientInterceptor;
import io.courier.client.Invocation;
import io.courier.common.Deadline;
import io.courier.common.RpcException;
import io.courier.common.Status;
import io.courier.server.ServerContext;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gives every call a deadline and enforces it: the first interceptor of every client. The timeout is the
 * call options' if set, else the method's {@code @Timeout}, else the client default; inside a service call
 * the caller's own deadline caps it. When the deadline passes, the call is cancelled with
 * {@code DEADLINE_EXCEEDED}, which makes the transport drop it from its pending table.
 */
public final class DeadlineInterceptor implements ClientInterceptor {

  private final Timer timer;
  private final Duration defaultTimeout;

  public DeadlineInterceptor(Timer timer, Duration defaultTimeout) {
    this.timer = timer;
    this.defaultTimeout = defaultTimeout;
  }

  /** The timeout that applies to {@code invocation} before any inherited deadline. */
  public Duration timeoutFor(Invocation invocation) {
    Duration t = invocation.options().timeout();
    if (t == null) {
      t = invocation.method().timeout();
    }
    return t != null ? t : defaultTimeout;
  }

  @Override
  public CompletableFuture<Object> intercept(Invocation invocation, Chain next) {
    Duration timeout = timeoutFor(invocation);
    Deadline deadline = Deadline.after(timeout).minimum(invocation.deadline());
    ServerContext inherited = ServerContext.currentOrNull();
    if (inherited != null && inherited.deadline() != null) {
      deadline = deadline.minimum(inherited.deadline());
    }
    if (deadline.isExpired()) {
      return CompletableFuture.failedFuture(exceeded(invocation, timeout, true));
    }
    WaitingCaller caller = WAITING.get();
    boolean callerEnforces = caller.waits;
    caller.waits = false; // only the call the stub is about to wait for, not calls its interceptors make
    CompletableFuture<Object> result = next.proceed(invocation.withDeadline(deadline));
    if (result.isDone()) {
      return result;
    }
    if (callerEnforces) {
      caller.deadline = deadline; // the blocked caller times out at the deadline itself: no timer task per call
      return result;
    }
    Duration effective = timeout;
    Timeout task = timer.newTimeout(t -> {
      RpcException e = exceeded(invocation, effective, false);
      invocation.cancel(e.status());
      result.completeExceptionally(e);
    }, Math.max(1, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    result.whenComplete((value, error) -> task.cancel());
    return result;
  }

  /**
   * Tells the deadline interceptor that the calling thread will block on the call's future until its deadline and
   * fail it itself then ({@link #expire}), so no timer task is needed; must be followed by {@link #takeDeadline}.
   */
  static void callerWillWait() {
    WAITING.get().waits = true;
  }

  /**
   * The deadline the caller must enforce, or {@code null} if the interceptor set a timer after all (the call was
   * not started from this thread, or it completed at once); clears what {@link #callerWillWait} set.
   */
  static Deadline takeDeadline() {
    WaitingCaller caller = WAITING.get();
    Deadline deadline = caller.deadline;
    caller.deadline = null;
    caller.waits = false;
    return deadline;
  }

  /** What the timer would have done at the deadline: cancel the call and fail its future. */
  static RpcException expire(Invocation invocation, Duration timeout, CompletableFuture<Object> result) {
    RpcException e = exceeded(invocation, timeout, false);
    invocation.cancel(e.status());
    result.completeExceptionally(e);
    return e;
  }

  /** Per thread: whether the stub is about to block on the call it starts, and the deadline it must enforce. */
  private static final class WaitingCaller {
    boolean waits;
    Deadline deadline;
  }

  private static final ThreadLocal<WaitingCaller> WAITING = ThreadLocal.withInitial(WaitingCaller::new);

  private static RpcException exceeded(Invocation invocation, Duration timeout, boolean beforeStart) {
    return Status.DEADLINE_EXCEEDED.withDescription((beforeStart ? "deadline already expired before calling "
        : "deadline exceeded after " + timeout.toMillis() + " ms calling ") + invocation.method().fullName())
        .asException();
  }
}
