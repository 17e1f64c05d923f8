package io.courier.spring.internal;

import io.courier.client.ClientInterceptor;
import io.courier.client.Invocation;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServerInvocation;
import java.util.concurrent.CompletableFuture;
import org.springframework.core.Ordered;

/**
 * The interceptors the starter contributes as beans, ordered ahead of the application's: observation
 * ({@link #OBSERVATION}) outermost, then metrics ({@link #METRICS}); server authentication follows them.
 */
public final class BuiltInInterceptors {

  public static final int OBSERVATION = Ordered.HIGHEST_PRECEDENCE + 100;
  public static final int METRICS = Ordered.HIGHEST_PRECEDENCE + 200;

  private BuiltInInterceptors() {}

  public static ClientInterceptor client(ClientInterceptor interceptor, int order) {
    return new Client(interceptor, order);
  }

  public static ServerInterceptor server(ServerInterceptor interceptor, int order) {
    return new Server(interceptor, order);
  }

  private record Client(ClientInterceptor delegate, int order) implements ClientInterceptor, Ordered {
    @Override
    public CompletableFuture<Object> intercept(Invocation invocation, Chain next) {
      return delegate.intercept(invocation, next);
    }

    @Override
    public int getOrder() {
      return order;
    }
  }

  private record Server(ServerInterceptor delegate, int order)
      implements ServerInterceptor, Ordered, ServerLifecycle.BuiltIn {
    @Override
    public CompletableFuture<Object> intercept(ServerInvocation invocation, Chain next) {
      return delegate.intercept(invocation, next);
    }

    @Override
    public int getOrder() {
      return order;
    }
  }
}
