package io.courier.client;

import io.courier.common.CallOptions;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.internal.client.UnaryCaller;
import io.courier.internal.cluster.CallPlan;
import io.courier.internal.cluster.CallPlanner;
import io.courier.internal.common.ApplicationExceptions;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls a service by name without its interface on the class path, as Dubbo's {@code GenericService} does: arguments
 * and results are plain values — strings, numbers, booleans, {@code null}, {@code Map<String, Object>} for records
 * and other objects, {@code List} for arrays and collections — or JSON text. Made by {@link RpcClient#generic}.
 *
 * <pre>{@code
 * GenericService users = client.generic("acme.Users");
 * Object user = users.call("getUser", 42);                                  // a Map: {id=42, name=Ada}
 * users.call("rename", Map.of("id", 42, "name", "Ada L."));                   // a record argument as a Map
 * String json = users.callJson("getUser", "[42]");                            // {"id":42,"name":"Ada"}
 * }</pre>
 *
 * <p>A call takes the path a stub's call takes: the client's interceptors (deadline, authentication, metrics), the
 * cluster (discovery, load balancing, the failover rules) and its transport ({@code tcp}, {@code http2} or
 * {@code rest}). Its arguments always travel as one JSON array (the {@code json} serializer, which the provider needs
 * on its class path), which the provider reads by its method's declared parameter types; the result comes back as the
 * provider wrote it, read as plain values. Only unary methods can be called: a streaming method is refused with
 * {@code UNIMPLEMENTED} naming it.
 *
 * <p>Failures are {@link RpcException}s with the provider's status: {@code UNIMPLEMENTED} for an unknown service or
 * method, {@code INVALID_ARGUMENT} naming the expected parameters for arguments of the wrong number or shape. An
 * exception thrown by the service arrives as {@code UNKNOWN} with its message as description and its class name in
 * the trailer {@link #EXCEPTION_CLASS} — never rebuilt, even when the class is on the class path.
 *
 * <p>Thread-safe and cheap to keep; a method is known by its name and its number of arguments, of which a client
 * keeps at most {@value ServiceDescriptor#MAX_GENERIC_METHODS} per service.
 */
public final class GenericService {

  /** The trailer that names the class of an exception the service threw: {@code e.trailers().get(EXCEPTION_CLASS)}. */
  public static final Metadata.Key<String> EXCEPTION_CLASS = Metadata.Key.of(ApplicationExceptions.EXCEPTION_CLASS_KEY);

  private final ServiceDescriptor service;
  private final CallOptions options;
  private final Serializer json;
  private final CallPlanner planner;
  private final UnaryCaller caller;
  /** The plan of each method called so far: one per descriptor, of which the service keeps a bounded number. */
  private final Map<MethodDescriptor, CallPlan> plans = new ConcurrentHashMap<>();

  GenericService(ServiceDescriptor service, CallOptions options, Serializer json, CallPlanner planner,
      UnaryCaller caller) {
    this.service = service;
    this.options = options;
    this.json = json;
    this.planner = planner;
    this.caller = caller;
  }

  /** The service name calls go to. */
  public String serviceName() {
    return service.name();
  }

  /** The options every call uses (with the header that marks a generic call). */
  public CallOptions options() {
    return options;
  }

  /**
   * Calls {@code method} with {@code args} and waits for the result, up to the call's deadline.
   *
   * @param args the arguments in order, as plain values; a lone {@code null} is one null argument
   * @return the result as plain values ({@code Map}, {@code List}, {@code String}, a number, {@code Boolean}), or
   *     {@code null} for a {@code void} method
   * @throws RpcException if the call fails; see the class comment for the statuses
   */
  public Object call(String method, Object... args) {
    Object[] arguments = arguments(args);
    CallPlan plan = plan(method, arguments.length);
    try {
      return caller.await(plan, arguments);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw Status.fromThrowable(t).asException();
    }
  }

  /**
   * Starts a call of {@code method} with {@code args}; the future completes on the client's callback executor with
   * the result as {@link #call} returns it, or with the {@link RpcException}. Cancelling it cancels the call.
   */
  public CompletableFuture<Object> callAsync(String method, Object... args) {
    Object[] arguments = arguments(args);
    CallPlan plan;
    try {
      plan = plan(method, arguments.length);
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    }
    return caller.start(plan, arguments);
  }

  /**
   * Calls {@code method} with arguments given as JSON text and returns the result as JSON text.
   *
   * <pre>{@code
   * String page = users.callJson("search", "[{\"name\": \"Ada\"}, 10]");
   * }</pre>
   *
   * <p>The text is read into plain values first (so a decimal number travels as a {@code double}), then sent as any
   * call's arguments are.
   *
   * @param jsonArguments a JSON array of the arguments, such as {@code [42]} or {@code []}
   * @return the result's JSON; {@code null} (the text) for a {@code void} method or a null result
   * @throws RpcException {@code INVALID_ARGUMENT} if {@code jsonArguments} is not a JSON array, else as {@link #call}
   */
  public String callJson(String method, String jsonArguments) {
    return toJson(call(method, parseArguments(method, jsonArguments)));
  }

  /** {@link #callJson} without waiting: the future completes with the result's JSON text. */
  public CompletableFuture<String> callJsonAsync(String method, String jsonArguments) {
    Object[] args;
    try {
      args = parseArguments(method, jsonArguments);
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    }
    return callAsync(method, args).thenApply(this::toJson);
  }

  @Override
  public String toString() {
    return "GenericService{" + service.name() + "}";
  }

  /** The arguments of a call: a lone {@code null} is one null argument. */
  private static Object[] arguments(Object[] args) {
    return args == null ? new Object[] {null} : args;
  }

  /** The plan of {@code method} with {@code argumentCount} arguments, resolved on its first call. */
  private CallPlan plan(String method, int argumentCount) {
    MethodDescriptor descriptor;
    try {
      descriptor = service.genericMethod(method, argumentCount);
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription("generic call of " + service.name() + ": " + e.getMessage())
          .asException();
    } catch (IllegalStateException e) {
      throw Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asException();
    }
    CallPlan plan = plans.get(descriptor);
    if (plan == null) {
      plan = plans.computeIfAbsent(descriptor, d -> planner.plan(d, options, json));
    }
    return plan;
  }

  private Object[] parseArguments(String method, String jsonArguments) {
    if (jsonArguments == null) {
      throw invalidJson(method, "null", null);
    }
    ByteBuf in = Unpooled.wrappedBuffer(jsonArguments.getBytes(StandardCharsets.UTF_8));
    Object value;
    try {
      value = json.read(in, Object.class);
    } catch (SerializationException e) {
      throw invalidJson(method, e.getMessage(), e);
    }
    for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
      byte b = in.getByte(i);
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        throw invalidJson(method, "content after the array", null);
      }
    }
    if (!(value instanceof List<?> list)) {
      throw invalidJson(method, "a JSON " + (value == null ? "null" : value instanceof String ? "string"
          : value instanceof Number ? "number" : value instanceof Boolean ? "boolean" : "object"), null);
    }
    return list.toArray();
  }

  private RpcException invalidJson(String method, String problem, Throwable cause) {
    return Status.INVALID_ARGUMENT.withDescription("the arguments of " + service.name() + "/" + method + " are not a"
        + " JSON array: " + problem + " (expected: a JSON array of the arguments, such as [42] or [])")
        .withCause(cause).asException();
  }

  private String toJson(Object value) {
    if (value == null) {
      return "null";
    }
    ByteBuf out = Unpooled.buffer(256);
    try {
      json.write(out, value, Object.class);
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      out.release();
    }
  }
}
