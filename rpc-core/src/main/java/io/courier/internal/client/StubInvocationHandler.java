package io.courier.internal.client;

import io.courier.client.Invocation;
import io.courier.common.CallOptions;
import io.courier.common.ClientResponseObserver;
import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StreamObserver;
import io.courier.internal.common.ApplicationExceptions;
import io.courier.serialization.Serializer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The behaviour behind every stub: turns a Java call into an {@link Invocation}, runs it through the client's
 * interceptor chain, and turns the outcome back into a return value or exception. {@code Object} methods and
 * default methods run locally. Streaming methods start the call and return at once (see {@code startStream}).
 * Invariant: one handler per stub; its options and serializer never change.
 */
public final class StubInvocationHandler implements InvocationHandler {

  private static final Object[] NO_ARGUMENTS = new Object[0];
  /** How long a blocked caller waits past its deadline before giving up on the timer. */
  private static final long WAIT_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ServiceDescriptor service;
  private final CallOptions options;
  private final Serializer serializer;
  private final InterceptorChain chain;
  private final DeadlineInterceptor deadlines;
  private final Executor callbackExecutor;
  private final String description;

  public StubInvocationHandler(ServiceDescriptor service, CallOptions options, Serializer serializer,
      InterceptorChain chain, DeadlineInterceptor deadlines, Executor callbackExecutor, String description) {
    this.service = service;
    this.options = options;
    this.serializer = serializer;
    this.chain = chain;
    this.deadlines = deadlines;
    this.callbackExecutor = callbackExecutor;
    this.description = description;
  }

  public ServiceDescriptor service() {
    return service;
  }

  public CallOptions options() {
    return options;
  }

  /** A handler for the same service with {@code newOptions} and the serializer they name. */
  public StubInvocationHandler withOptions(CallOptions newOptions, Serializer newSerializer) {
    return new StubInvocationHandler(service, newOptions, newSerializer, chain, deadlines, callbackExecutor,
        description);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    MethodDescriptor md = service.method(method);
    if (md == null) {
      return invokeLocally(proxy, method, args);
    }
    if (md.kind() != MethodKind.UNARY) {
      return startStream(md, args);
    }
    Invocation invocation = new Invocation(md, args == null ? NO_ARGUMENTS : args, options, serializer);
    CompletableFuture<Object> result = chain.start(invocation);
    if (md.isAsync()) {
      return toCallerFuture(result, invocation);
    }
    Object value = await(result, invocation);
    if (value == null && method.getReturnType().isPrimitive()) {
      return zeroOf(method.getReturnType());
    }
    return value;
  }

  /**
   * Starts a streaming call and returns at once, as gRPC's asynchronous stubs do: {@code null} for server
   * streaming, the request observer for client and bidirectional streaming. The call goes through the same
   * interceptor chain as a unary call; its end reaches the response observer.
   */
  private Object startStream(MethodDescriptor md, Object[] args) {
    boolean serverStreaming = md.kind() == MethodKind.SERVER_STREAMING;
    @SuppressWarnings("unchecked")
    StreamObserver<Object> responses = (StreamObserver<Object>) args[serverStreaming ? 1 : 0];
    if (responses == null) {
      throw new NullPointerException("the response StreamObserver of " + md.fullName() + " is null");
    }
    ClientStreamingCall call = new ClientStreamingCall(md, responses, callbackExecutor);
    Invocation invocation = new Invocation(md, serverStreaming ? new Object[] {args[0]} : NO_ARGUMENTS, options,
        serializer, call);
    call.bind(invocation);
    if (responses instanceof ClientResponseObserver<?, ?> early) {
      @SuppressWarnings("unchecked")
      ClientResponseObserver<Object, Object> observer = (ClientResponseObserver<Object, Object>) early;
      observer.beforeStart(call.requests());
    }
    chain.start(invocation).whenComplete(call::finish);
    return serverStreaming ? null : call.requests();
  }

  private Object await(CompletableFuture<Object> result, Invocation invocation) throws Throwable {
    Duration timeout = deadlines.timeoutFor(invocation);
    long waitNanos = saturatedAdd(timeout.toNanos(), WAIT_SLACK_NANOS);
    try {
      return result.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw ApplicationExceptions.toCallerException(e.getCause(), invocation.method());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      RpcException cancelled = Status.CANCELLED.withDescription("caller interrupted while waiting for "
          + invocation.method().fullName()).withCause(e).asException();
      invocation.cancel(cancelled.status());
      result.completeExceptionally(cancelled);
      throw cancelled;
    } catch (TimeoutException e) {
      // The deadline timer should have fired long before; never wait forever regardless.
      RpcException exceeded = Status.DEADLINE_EXCEEDED.withDescription("no result for "
          + invocation.method().fullName() + " within " + timeout.toMillis() + " ms").asException();
      invocation.cancel(exceeded.status());
      result.completeExceptionally(exceeded);
      throw exceeded;
    }
  }

  private CompletableFuture<Object> toCallerFuture(CompletableFuture<Object> result, Invocation invocation) {
    CallerFuture callerFuture = new CallerFuture(invocation);
    result.whenComplete((value, error) -> {
      if (callerFuture.isDone()) {
        return;
      }
      try {
        callbackExecutor.execute(() -> complete(callerFuture, value, error, invocation));
      } catch (RuntimeException rejected) { // executor shut down: complete here rather than never
        complete(callerFuture, value, error, invocation);
      }
    });
    return callerFuture;
  }

  private static void complete(CallerFuture future, Object value, Throwable error, Invocation invocation) {
    if (error == null) {
      future.complete(value);
    } else {
      future.completeExceptionally(ApplicationExceptions.toCallerException(error, invocation.method()));
    }
  }

  private Object invokeLocally(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    switch (method.getName()) {
      case "equals":
        return args != null && args.length == 1 && proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return service.type().getSimpleName() + " stub (" + description + ", " + serializer.name() + ")";
      default:
        throw new UnsupportedOperationException(method + " is not a remote method of " + service.name());
    }
  }

  /** The handler behind {@code stub}, or {@code null} if it is not a Courier stub. */
  public static StubInvocationHandler of(Object stub) {
    if (stub != null && Proxy.isProxyClass(stub.getClass())
        && Proxy.getInvocationHandler(stub) instanceof StubInvocationHandler handler) {
      return handler;
    }
    return null;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  private static Object zeroOf(Class<?> primitive) {
    if (primitive == boolean.class) {
      return false;
    } else if (primitive == char.class) {
      return '\0';
    } else if (primitive == byte.class) {
      return (byte) 0;
    } else if (primitive == short.class) {
      return (short) 0;
    } else if (primitive == int.class) {
      return 0;
    } else if (primitive == long.class) {
      return 0L;
    } else if (primitive == float.class) {
      return 0f;
    } else if (primitive == double.class) {
      return 0d;
    }
    return null; // void
  }

  /** The future an async stub method returns; cancelling it cancels the call. */
  private static final class CallerFuture extends CompletableFuture<Object> {
    private final Invocation invocation;

    CallerFuture(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        invocation.cancel(Status.CANCELLED.withDescription("caller cancelled " + invocation.method().fullName()));
      }
      return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }
}
