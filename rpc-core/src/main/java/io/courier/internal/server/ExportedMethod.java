package io.courier.internal.server;

import io.courier.common.MethodDescriptor;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServerInvocation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One method of an exported service, resolved once at export time: the implementation bound into a method
 * handle, the executor it runs on ({@code null} for the I/O thread) and its interceptors.
 */
final class ExportedMethod {

  final MethodDescriptor descriptor;
  final Executor executor;
  private final ServerInterceptor[] interceptors;
  private final MethodHandle invoker; // (Object[])Object, bound to the implementation

  ExportedMethod(MethodDescriptor descriptor, Object implementation, Executor executor,
      List<ServerInterceptor> interceptors) {
    this.descriptor = descriptor;
    this.executor = executor;
    this.interceptors = interceptors.toArray(new ServerInterceptor[0]);
    Method method = descriptor.method();
    try {
      method.trySetAccessible();
      MethodHandle handle = MethodHandles.lookup().unreflect(method).bindTo(implementation);
      this.invoker = handle.asSpreader(Object[].class, method.getParameterCount())
          .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot call " + descriptor.fullName() + " on "
          + implementation.getClass().getName() + " (make the service interface public)", e);
    }
  }

  /** The interceptors, in order (for their admission checks). */
  ServerInterceptor[] interceptors() {
    return interceptors;
  }

  /** Runs the interceptors and then the implementation. Never throws; failures complete the future. */
  CompletableFuture<Object> invoke(ServerInvocation invocation) {
    return new Link(0, null).proceed(invocation);
  }

  /**
   * Runs the interceptors and then a streaming implementation; the future completes when the implementation
   * ends the stream.
   */
  CompletableFuture<Object> invoke(ServerInvocation invocation, ServerStreams streams) {
    return new Link(0, streams).proceed(invocation);
  }

  private CompletableFuture<Object> callImplementation(ServerInvocation invocation, ServerStreams streams) {
    if (streams != null) {
      try {
        return streams.invoke(invoker, invocation);
      } catch (Throwable t) {
        return CompletableFuture.failedFuture(t);
      }
    }
    Object result;
    try {
      result = invoker.invokeExact(invocation.arguments());
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
    if (descriptor.isAsync()) {
      if (result == null) {
        return CompletableFuture.failedFuture(new NullPointerException(
            descriptor.fullName() + " returned a null future (expected: a CompletableFuture)"));
      }
      return ((CompletionStage<?>) result).toCompletableFuture().thenApply(v -> (Object) v);
    }
    return CompletableFuture.completedFuture(result);
  }

  private final class Link implements ServerInterceptor.Chain {
    private final int index;
    private final ServerStreams streams;
    private boolean proceeded;

    Link(int index, ServerStreams streams) {
      this.index = index;
      this.streams = streams;
    }

    @Override
    public CompletableFuture<Object> proceed(ServerInvocation invocation) {
      if (proceeded) {
        throw new IllegalStateException("server interceptor " + interceptors[index - 1].getClass().getName()
            + " called proceed() twice for " + descriptor.fullName() + " (expected: once)");
      }
      proceeded = true;
      if (index == interceptors.length) {
        return callImplementation(invocation, streams);
      }
      try {
        CompletableFuture<Object> result = interceptors[index].intercept(invocation, new Link(index + 1, streams));
        return result != null ? result : CompletableFuture.failedFuture(new IllegalStateException(
            "server interceptor " + interceptors[index].getClass().getName() + " returned a null future"));
      } catch (RuntimeException | Error e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }
}
