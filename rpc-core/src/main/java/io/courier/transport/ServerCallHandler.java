package io.courier.transport;

import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.server.CallHead;
import java.net.SocketAddress;
import java.util.List;

/**
 * The core's side of the server seam: what a transport calls for each connection and each request. A transport
 * opens a {@link ServerConnection} per connection; for each request it {@linkplain #admit admits} the call from its
 * headers before it reads or buffers any argument byte, and {@linkplain #handle hands} an admitted call over once its
 * payload has arrived:
 *
 * <pre>{@code
 * ServerConnection connection = calls.openConnection(channel.remoteAddress());   // on accept
 * CallHead head = new CallHead(service, method, calls.lookup(service, method), headers, remote);  // headers read
 * Status refusal = calls.admit(connection, head);
 * if (refusal != null) { refuse(refusal); discardBody(); return; }               // nothing buffered
 * ... buffer the body ...
 * calls.handle(new MyServerCall(head, connection, body));                        // ServerCall.head() returns head
 * }</pre>
 */
public interface ServerCallHandler {

  /**
   * The exported method a request names, or {@code null}. Two map lookups; safe on the I/O thread. The names
   * are only used as keys, never to find Java methods.
   */
  MethodDescriptor lookup(String service, String method);

  /** Whether a service of this name is exported (for health checks); the default knows none. */
  default boolean hasService(String service) {
    return false;
  }

  /**
   * The exported services, in export order, for transports that route by more than the service and method names
   * (the REST binding builds its route table from them once, at start); the default knows none.
   */
  default List<ServiceDescriptor> services() {
    return List.of();
  }

  /** The {@code UNIMPLEMENTED} status naming the missing service or method, for a failed {@link #lookup}. */
  Status unimplemented(String service, String method);

  /** A new connection from {@code remoteAddress}; close it when the connection closes. */
  ServerConnection openConnection(SocketAddress remoteAddress);

  /**
   * Runs the server interceptors' {@link io.courier.server.ServerInterceptor#admit admission} on a call's head, on
   * the calling (I/O) thread, before any of its argument bytes is buffered — also for a method the server does not
   * export, so that a caller that is refused learns nothing about which exist. Never throws.
   *
   * @param connection the call's connection, or {@code null} (in-process)
   * @return {@code null} if the call may go on; else what to refuse it with: an admission refusal, or
   *     {@code UNIMPLEMENTED} naming the missing service or method
   */
  Status admit(ServerConnection connection, CallHead head);

  /**
   * Runs an accepted call: on its service's executor (or this thread for services that asked for it), after a
   * deadline check, through the server interceptors. Never throws; a full worker pool closes the call with
   * {@code RESOURCE_EXHAUSTED} at once.
   */
  void handle(ServerCall call);
}
