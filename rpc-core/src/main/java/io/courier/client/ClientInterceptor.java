package io.courier.client;

import java.util.concurrent.CompletableFuture;

/**
 * Wraps every call a client makes, in the order interceptors were added to the client. Each interceptor
 * calls {@link Chain#proceed} exactly once (a second call fails) and returns what it returns, or a future
 * derived from it. Deadlines and metrics are built this way too.
 *
 * <pre>{@code
 * ClientInterceptor auth = (invocation, next) ->
 *     next.proceed(invocation.withOptions(invocation.options().withHeader(TOKEN, token())));
 * }</pre>
 */
@FunctionalInterface
public interface ClientInterceptor {

  /**
   * Intercepts one call. The returned future completes with the call's result, or exceptionally with an
   * {@code RpcException} or the application exception the service threw.
   */
  CompletableFuture<Object> intercept(Invocation invocation, Chain next);

  /** The rest of the chain, ending at a transport. */
  interface Chain {
    /** Passes the call on; may be called once per interceptor. */
    CompletableFuture<Object> proceed(Invocation invocation);
  }
}
