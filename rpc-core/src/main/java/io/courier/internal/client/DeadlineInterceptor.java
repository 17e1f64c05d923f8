package io.courier.internal.client;

import io.courier.client.ClientInterceptor;
import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.common.Deadline;
import io.courier.common.RpcException;
import io.courier.common.Status;
import io.courier.internal.cluster.CallPlan;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces every call's deadline: the first interceptor of every client. The deadline is on the {@link Invocation},
 * set when the call started ({@link UnaryCaller}: the plan's timeout, capped by the deadline of a server call it was
 * made from). A call whose deadline has already passed fails before anything else runs; otherwise, when the deadline
 * passes, the call is cancelled with {@code DEADLINE_EXCEEDED}, which makes the transport drop it from its pending
 * table — by a timer task, unless the caller blocks on the call until its deadline and does that itself
 * ({@link InternalInvocation#isAwaited}).
 */
public final class DeadlineInterceptor implements ClientInterceptor {

  private final Timer timer;

  public DeadlineInterceptor(Timer timer) {
    this.timer = timer;
  }

  @Override
  public CompletableFuture<Object> intercept(Invocation invocation, Chain next) {
    Deadline deadline = invocation.deadline();
    if (deadline == null) {
      throw new IllegalStateException("no deadline on " + invocation + " (expected: set when the call starts)");
    }
    if (deadline.isExpired()) {
      return CompletableFuture.failedFuture(exceeded(invocation, true));
    }
    CompletableFuture<Object> result = next.proceed(invocation);
    if (result.isDone() || InternalInvocation.isAwaited(invocation)) {
      return result; // a blocked caller times out at the deadline itself: no timer task per call
    }
    Timeout task = timer.newTimeout(t -> expire(invocation, result), Math.max(1, deadline.remainingNanos()),
        TimeUnit.NANOSECONDS);
    result.whenComplete((value, error) -> task.cancel());
    return result;
  }

  /** What the timer does at the deadline, and a blocked caller in its place: cancel the call and fail its future. */
  static RpcException expire(Invocation invocation, CompletableFuture<Object> result) {
    RpcException e = exceeded(invocation, false);
    try {
      invocation.cancel(e.status());
    } catch (RuntimeException listenerFailed) {
      // a transport's listener (its event loop stopped, say): the caller still learns of its deadline, and of that
      e.addSuppressed(listenerFailed);
    }
    result.completeExceptionally(e);
    return e;
  }

  private static RpcException exceeded(Invocation invocation, boolean beforeStart) {
    CallPlan plan = InternalInvocation.plan(invocation); // the timeout the call started with, before any cap
    String what = beforeStart ? "deadline already expired before calling "
        : plan != null ? "deadline exceeded after " + plan.timeout().toMillis() + " ms calling "
        : "deadline exceeded calling ";
    return Status.DEADLINE_EXCEEDED.withDescription(what + invocation.method().fullName()).asException();
  }
}
