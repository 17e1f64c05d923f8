package io.courier.internal.client;

import io.courier.client.ClientInterceptor;
import io.courier.client.Invocation;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs client interceptors in order and then the terminal step. Invariant: each link proceeds at most once;
 * a second {@code proceed} from the same interceptor fails. Anything an interceptor throws becomes a failed
 * future, so callers only ever see futures.
 */
public final class InterceptorChain {

  private final ClientInterceptor[] interceptors;
  private final Function<Invocation, CompletableFuture<Object>> terminal;

  public InterceptorChain(List<ClientInterceptor> interceptors,
      Function<Invocation, CompletableFuture<Object>> terminal) {
    this.interceptors = interceptors.toArray(new ClientInterceptor[0]);
    this.terminal = terminal;
  }

  /** Starts a call through the whole chain. */
  public CompletableFuture<Object> start(Invocation invocation) {
    return new Link(0).proceed(invocation);
  }

  private final class Link implements ClientInterceptor.Chain {
    private final int index;
    private boolean proceeded;

    Link(int index) {
      this.index = index;
    }

    @Override
    public CompletableFuture<Object> proceed(Invocation invocation) {
      if (proceeded) {
        throw new IllegalStateException("interceptor " + interceptors[index - 1].getClass().getName()
            + " called proceed() twice for " + invocation.method().fullName() + " (expected: once)");
      }
      proceeded = true;
      try {
        CompletableFuture<Object> result = index == interceptors.length
            ? terminal.apply(invocation)
            : interceptors[index].intercept(invocation, new Link(index + 1));
        if (result == null) {
          throw new IllegalStateException((index == interceptors.length ? "transport"
              : "interceptor " + interceptors[index].getClass().getName()) + " returned a null future");
        }
        return result;
      } catch (RuntimeException | Error e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }
}
