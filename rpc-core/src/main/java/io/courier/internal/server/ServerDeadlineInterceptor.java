package io.courier.internal.server;

import io.courier.common.Deadline;
import io.courier.common.Status;
import io.courier.server.ServerContext;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServerInvocation;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the caller's deadline on the server: the first interceptor of every server chain. When the
 * deadline passes, the call's {@link ServerContext} is cancelled (so service code that checks it can stop)
 * and the call fails with {@code DEADLINE_EXCEEDED}. Calls whose deadline passed while they queued are
 * refused by the dispatcher before they are decoded.
 */
final class ServerDeadlineInterceptor implements ServerInterceptor {

  private final Timer timer;

  ServerDeadlineInterceptor(Timer timer) {
    this.timer = timer;
  }

  @Override
  public CompletableFuture<Object> intercept(ServerInvocation invocation, Chain next) {
    Deadline deadline = invocation.deadline();
    ServerContext context = ServerContext.currentOrNull();
    CompletableFuture<Object> result = next.proceed(invocation);
    if (deadline == null || result.isDone()) {
      return result;
    }
    Timeout expiry = timer.newTimeout(t -> {
      Status exceeded = Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded while the server ran "
          + invocation.method().fullName());
      result.completeExceptionally(exceeded.asException()); // first: the call ends with DEADLINE_EXCEEDED
      if (context != null) {
        context.cancel(exceeded);
      }
    }, Math.max(1, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    result.whenComplete((v, e) -> expiry.cancel());
    return result;
  }
}
