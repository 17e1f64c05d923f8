package io.courier.transport;

import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import java.util.List;

/** The core's side of the server seam: what a transport calls for each decoded request. */
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

  /**
   * Runs an accepted call: on its service's executor (or this thread for services that asked for it), after a
   * deadline check, through the server interceptors. Never throws; a full worker pool closes the call with
   * {@code RESOURCE_EXHAUSTED} at once.
   */
  void handle(ServerCall call);
}
