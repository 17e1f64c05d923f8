package io.courier.server;

import io.courier.common.Deadline;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * One call as a server runs it: the method, the decoded arguments, the request headers, the caller's
 * deadline and address. Immutable.
 */
public final class ServerInvocation {

  private final MethodDescriptor method;
  private final Object[] arguments;
  private final Metadata headers;
  private final Deadline deadline;
  private final SocketAddress remoteAddress;

  public ServerInvocation(MethodDescriptor method, Object[] arguments, Metadata headers, Deadline deadline,
      SocketAddress remoteAddress) {
    this.method = Objects.requireNonNull(method, "method");
    this.arguments = Objects.requireNonNull(arguments, "arguments");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.deadline = deadline;
    this.remoteAddress = remoteAddress;
  }

  public MethodDescriptor method() {
    return method;
  }

  /** The decoded arguments. Do not modify the array; use {@link #withArguments}. */
  public Object[] arguments() {
    return arguments;
  }

  public Metadata headers() {
    return headers;
  }

  /** The caller's deadline, or {@code null}. */
  public Deadline deadline() {
    return deadline;
  }

  /** The caller's address; {@code null} for in-process calls. */
  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  public ServerInvocation withArguments(Object[] newArguments) {
    return new ServerInvocation(method, newArguments, headers, deadline, remoteAddress);
  }

  @Override
  public String toString() {
    return "ServerInvocation{" + method.fullName() + " from " + remoteAddress + "}";
  }
}
