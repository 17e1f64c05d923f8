package io.courier.client;

import io.courier.internal.client.AfterCompletion;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

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

  /**
   * For an interceptor that acts when its call ends (records it, closes a span): returns a future that completes
   * with {@code result}'s outcome only after {@code action} has run, so the caller never sees the result before the
   * action is done, as it could with {@code result.whenComplete(action)}. If the returned future is completed
   * from outside first (the caller's own deadline, an interrupt), that outcome is passed to {@code result}, so
   * the action still runs, with it. An exception thrown by the action is logged and changes nothing: the call's
   * outcome is what the caller sees.
   */
  static CompletableFuture<Object> whenComplete(CompletableFuture<Object> result,
      BiConsumer<Object, ? super Throwable> action) {
    return AfterCompletion.run(result, action);
  }

  /** The rest of the chain, ending at a transport. */
  interface Chain {
    /** Passes the call on; may be called once per interceptor. */
    CompletableFuture<Object> proceed(Invocation invocation);
  }
}
