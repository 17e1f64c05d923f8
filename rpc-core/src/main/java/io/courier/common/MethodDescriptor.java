package io.courier.common;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;

/**
 * One method of a service, parsed once from its Java declaration by {@link ServiceDescriptor#of(Class)}.
 * Immutable. Transports and serializers read the wire name and the types to encode from it; they never
 * look methods up by reflection per call. A method of a generic service ({@link ServiceDescriptor#genericMethod})
 * has no Java method: {@link #method()} is {@code null}.
 */
public final class MethodDescriptor {

  private final ServiceDescriptor service;
  private final Method method;
  private final String name;
  private final String fullName;
  private final MethodKind kind;
  private final Type[] requestTypes;
  private final Type responseType;
  private final boolean async;
  private final boolean oneWay;
  private final boolean idempotent;
  private final Duration timeout;

  MethodDescriptor(ServiceDescriptor service, Method method, String name, MethodKind kind,
      Type[] requestTypes, Type responseType, boolean async, boolean oneWay, boolean idempotent,
      Duration timeout) {
    this.service = service;
    this.method = method;
    this.name = name;
    this.fullName = service.name() + "/" + name;
    this.kind = kind;
    this.requestTypes = requestTypes;
    this.responseType = responseType;
    this.async = async;
    this.oneWay = oneWay;
    this.idempotent = idempotent;
    this.timeout = timeout;
  }

  public ServiceDescriptor service() {
    return service;
  }

  /** The interface method this describes, or {@code null} for a method of a generic service ({@link #isGeneric}). */
  public Method method() {
    return method;
  }

  /**
   * Whether this is a method of a {@linkplain ServiceDescriptor#generic generic} service: known only by its name and
   * argument count, every parameter and the result declared as {@code Object}, no annotations.
   */
  public boolean isGeneric() {
    return method == null;
  }

  /** The method name on the wire. */
  public String name() {
    return name;
  }

  /** {@code service/method}, as in a gRPC path without its leading slash. */
  public String fullName() {
    return fullName;
  }

  public MethodKind kind() {
    return kind;
  }

  /**
   * The declared types of what the caller sends: every parameter for a unary call, the request for a
   * server-streaming call, the stream's element type for client and bidirectional streaming. Do not modify.
   */
  public Type[] requestTypes() {
    return requestTypes;
  }

  /**
   * The declared type of what the server sends back: the return type ({@code T} of a
   * {@code CompletableFuture<T>}; {@code Void.class} for {@code void}), or the element type of the response
   * stream.
   */
  public Type responseType() {
    return responseType;
  }

  /** Whether the stub returns a {@code CompletableFuture} (or {@code CompletionStage}). */
  public boolean isAsync() {
    return async;
  }

  /** Whether the method is {@link OneWay}. */
  public boolean isOneWay() {
    return oneWay;
  }

  /** Whether the method is {@link Idempotent}. */
  public boolean isIdempotent() {
    return idempotent;
  }

  /** The timeout from a {@link Timeout} annotation, or {@code null}. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return fullName;
  }
}
