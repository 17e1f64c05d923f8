package io.courier.internal.client;

import io.courier.client.Invocation;
import io.courier.common.CallOptions;
import io.courier.common.ClientResponseObserver;
import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.ServiceDescriptor;
import io.courier.common.StreamObserver;
import io.courier.internal.cluster.CallPlan;
import io.courier.internal.cluster.CallPlanner;
import io.courier.serialization.Serializer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The behaviour behind every stub: turns a Java call into an {@link Invocation} of the method's {@link CallPlan},
 * resolved once when the stub was made, and runs it through the client's interceptor chain with a
 * {@link UnaryCaller}, which turns the outcome back into a return value or exception. {@code Object} methods and
 * default methods run locally. Streaming methods start the call and return at once (see {@code startStream}).
 * Invariant: one handler per stub; its options, serializer and plans never change.
 */
public final class StubInvocationHandler implements InvocationHandler {

  private static final Object[] NO_ARGUMENTS = new Object[0];

  private final ServiceDescriptor service;
  private final CallOptions options;
  private final Serializer serializer;
  private final CallPlanner planner;
  private final Map<Method, CallPlan> plans;
  private final UnaryCaller caller;
  private final String description;

  /**
   * A handler whose calls run with {@code planner}'s plans for {@code options}.
   *
   * @throws IllegalArgumentException if a cluster option or annotation is not valid (see {@link CallPlanner#plan})
   */
  public StubInvocationHandler(ServiceDescriptor service, CallOptions options, Serializer serializer,
      CallPlanner planner, UnaryCaller caller, String description) {
    this.service = service;
    this.options = options;
    this.serializer = serializer;
    this.planner = planner;
    this.caller = caller;
    this.description = description;
    List<CallPlan> resolved = planner.plan(service, options, serializer);
    Map<Method, CallPlan> byMethod = new HashMap<>();
    for (CallPlan plan : resolved) {
      byMethod.put(plan.method().method(), plan);
    }
    this.plans = byMethod;
  }

  public ServiceDescriptor service() {
    return service;
  }

  public CallOptions options() {
    return options;
  }

  /** The plan of {@code method}'s calls, or {@code null} if it is not a remote method. */
  public CallPlan plan(Method method) {
    return plans.get(method);
  }

  /**
   * A handler for the same service, calling through the same client, with {@code newOptions} and the serializer they
   * name.
   *
   * @throws IllegalArgumentException if a cluster option is not valid
   */
  public StubInvocationHandler withOptions(CallOptions newOptions, Serializer newSerializer) {
    return new StubInvocationHandler(service, newOptions, newSerializer, planner, caller, description);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    CallPlan plan = plans.get(method);
    if (plan == null) {
      return invokeLocally(proxy, method, args);
    }
    MethodDescriptor md = plan.method();
    if (md.kind() != MethodKind.UNARY) {
      return startStream(plan, args);
    }
    Object[] arguments = args == null ? NO_ARGUMENTS : args;
    if (md.isAsync()) {
      return caller.start(plan, arguments);
    }
    Object value = caller.await(plan, arguments);
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
  private Object startStream(CallPlan plan, Object[] args) {
    MethodDescriptor md = plan.method();
    boolean serverStreaming = md.kind() == MethodKind.SERVER_STREAMING;
    @SuppressWarnings("unchecked")
    StreamObserver<Object> responses = (StreamObserver<Object>) args[serverStreaming ? 1 : 0];
    if (responses == null) {
      throw new NullPointerException("the response StreamObserver of " + md.fullName() + " is null");
    }
    ClientStreamingCall call = new ClientStreamingCall(md, responses, caller.callbackExecutor());
    Invocation invocation = caller.streaming(plan, serverStreaming ? new Object[] {args[0]} : NO_ARGUMENTS, call);
    call.bind(invocation);
    if (responses instanceof ClientResponseObserver<?, ?> early) {
      @SuppressWarnings("unchecked")
      ClientResponseObserver<Object, Object> observer = (ClientResponseObserver<Object, Object>) early;
      observer.beforeStart(call.requests());
    }
    caller.chain().start(invocation).whenComplete(call::finish);
    return serverStreaming ? null : call.requests();
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
}
