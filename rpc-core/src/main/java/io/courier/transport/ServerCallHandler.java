package io.courier.transport;

import io.courier.common.MethodDescriptor;
import io.courier.common.Status;

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

  /** The {@code UNIMPLEMENTED} status naming the missing service or method, for a failed {@link #lookup}. */
  Status unimplemented(String service, String method);

  /**
   * Runs an accepted call: on its service's executor (or this thread for services that asked for it), after a
   * deadline check, through the server interceptors. Never throws; a full worker pool closes the call with
   * {@code RESOURCE_EXHAUSTED} at once.
   */
  void handle(ServerCall call);
}
