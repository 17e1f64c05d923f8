package io.courier.internal.common;

import io.courier.common.Deadline;

/**
 * The deadline a client call started on this thread inherits: that of the server call running here, so a service
 * that calls another service passes its caller's deadline on. The seam between the two sides: the server sets it
 * when it makes a call's {@code ServerContext} current on a thread (and restores it after), the client reads it when
 * a call starts, and neither imports the other. Not API.
 */
public final class InheritedDeadline {

  private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

  private InheritedDeadline() {}

  /** The deadline calls started on this thread inherit, or {@code null}. */
  public static Deadline get() {
    return CURRENT.get();
  }

  /** Makes {@code deadline} (or none, for {@code null}) the one calls started on this thread inherit. */
  public static void set(Deadline deadline) {
    if (deadline == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(deadline);
    }
  }
}
