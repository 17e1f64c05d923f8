package io.courier.server;

import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A call as a server first sees it: the method it names, its headers and the caller's address — before a single
 * byte of its arguments is read or buffered. {@link ServerInterceptor#admit} looks at it to refuse a call cheaply
 * (authentication, access rules), and may {@link #attach} what it learnt (the caller) for the {@link ServerContext}
 * of the call it lets through.
 *
 * <pre>{@code
 * public Status admit(CallHead call) {
 *   Principal caller = verify(call.headers().get(AUTHORIZATION));
 *   if (caller == null) {
 *     return Status.UNAUTHENTICATED.withDescription("a bearer token is required");
 *   }
 *   call.attach(CALLER, caller);
 *   return null;
 * }
 * }</pre>
 *
 * <p>Admission runs for every call, also for one whose method the server does not export ({@link #method()} is then
 * {@code null}): a caller that is refused learns nothing about which services exist. Not thread-safe: it belongs to
 * the thread that admits the call.
 */
public final class CallHead {

  private final String service;
  private final String methodName;
  private final MethodDescriptor method;
  private final Metadata headers;
  private final SocketAddress remoteAddress;
  private Map<ServerContext.Key<?>, Object> attachments;

  /**
   * @param method the exported method, or {@code null} if the server has none of that name
   */
  public CallHead(String service, String methodName, MethodDescriptor method, Metadata headers,
      SocketAddress remoteAddress) {
    this.service = Objects.requireNonNull(service, "service");
    this.methodName = Objects.requireNonNull(methodName, "methodName");
    this.method = method;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.remoteAddress = remoteAddress;
  }

  /** The service name the call gives. */
  public String service() {
    return service;
  }

  /** The method name the call gives. */
  public String methodName() {
    return methodName;
  }

  /** {@code service/method}, as access rules name methods. */
  public String fullName() {
    return service + "/" + methodName;
  }

  /** The exported method, or {@code null} if the server exports no method of this name. */
  public MethodDescriptor method() {
    return method;
  }

  public Metadata headers() {
    return headers;
  }

  /** The caller's address; {@code null} for in-process calls. */
  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** Keeps {@code value} for the call's {@link ServerContext} ({@link ServerContext#get}), if the call is admitted. */
  public <T> void attach(ServerContext.Key<T> key, T value) {
    if (attachments == null) {
      attachments = new HashMap<>(4);
    }
    attachments.put(Objects.requireNonNull(key, "key"), value);
  }

  /** A value attached by an earlier admission check, or {@code null}. */
  public <T> T get(ServerContext.Key<T> key) {
    return attachments == null ? null : key.cast(attachments.get(key));
  }

  void copyAttachments(ServerContext context) {
    if (attachments != null) {
      attachments.forEach((key, value) -> key.putInto(context, value));
    }
  }

  @Override
  public String toString() {
    return "CallHead{" + fullName() + " from " + remoteAddress + "}";
  }
}
