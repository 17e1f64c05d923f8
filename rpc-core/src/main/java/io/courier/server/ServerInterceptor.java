package io.courier.server;

import java.util.concurrent.CompletableFuture;

/**
 * Wraps every call a server runs, in the order interceptors were added. Each interceptor calls
 * {@link Chain#proceed} exactly once, or instead fails the call (for example with
 * {@code Status.UNAUTHENTICATED.asException()}).
 *
 * <pre>{@code
 * ServerInterceptor auth = (call, next) -> TOKEN_OK.test(call.headers().get(TOKEN))
 *     ? next.proceed(call)
 *     : CompletableFuture.failedFuture(Status.UNAUTHENTICATED.withDescription("bad token").asException());
 * }</pre>
 */
@FunctionalInterface
public interface ServerInterceptor {

  /** Completes with the method's result, or exceptionally with what the call should fail with. */
  CompletableFuture<Object> intercept(ServerInvocation invocation, Chain next);

  /** The rest of the chain, ending at the service implementation. */
  interface Chain {
    /** Passes the call on; may be called once per interceptor. */
    CompletableFuture<Object> proceed(ServerInvocation invocation);
  }
}
