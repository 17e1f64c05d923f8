package io.courier.server;

import io.courier.common.Status;
import java.util.concurrent.CompletableFuture;

/**
 * Wraps every call a server runs, in the order interceptors were added, in two phases:
 *
 * <ol>
 *   <li>{@link #admit}, on the call's headers, before any of its argument bytes is read or buffered: the place to
 *       refuse a call cheaply (authentication, access rules, quotas); runs on the transport's I/O thread and must
 *       not block;
 *   <li>{@link #intercept}, with the decoded arguments, around the service method, on the thread that runs it.
 * </ol>
 *
 * Each interceptor calls {@link Chain#proceed} exactly once, or instead fails the call (for example with
 * {@code Status.UNAUTHENTICATED.asException()}).
 *
 * <pre>{@code
 * ServerInterceptor timing = (call, next) -> {
 *   long start = System.nanoTime();
 *   return next.proceed(call).whenComplete((v, e) -> record(call.method(), System.nanoTime() - start));
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ServerInterceptor {

  /**
   * Decides on a call from its headers alone: {@code null} lets it go on (to the next interceptor's admission, then
   * to decoding), a status refuses it with that status — its arguments are then never read. Runs on the I/O thread of
   * the connection (on a worker for in-process calls): it must be quick and must not block. It also runs for calls
   * of methods the server does not export ({@link CallHead#method()} is {@code null}), so that a refused caller
   * learns nothing about them. The default admits.
   */
  default Status admit(CallHead call) {
    return null;
  }

  /** Completes with the method's result, or exceptionally with what the call should fail with. */
  CompletableFuture<Object> intercept(ServerInvocation invocation, Chain next);

  /** The rest of the chain, ending at the service implementation. */
  interface Chain {
    /** Passes the call on; may be called once per interceptor. */
    CompletableFuture<Object> proceed(ServerInvocation invocation);
  }
}
