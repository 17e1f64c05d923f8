package io.courier.transport;

import java.io.IOException;

/**
 * The cause a transport gives an {@code UNAVAILABLE} failure when the connection closed while the call was in
 * flight: its request may have reached the provider and run. The cluster layer retries such a call elsewhere only
 * for {@code @Idempotent} methods; an {@code UNAVAILABLE} without this cause means the request cannot have run (the
 * provider could not be reached, refused it, or was shutting down) and is retried for every method.
 *
 * <pre>{@code
 * pending.fail(Status.UNAVAILABLE.withDescription("connection to " + endpoint + " closed")
 *     .withCause(new ConnectionLostException(endpoint + " closed the connection")));
 * }</pre>
 */
public final class ConnectionLostException extends IOException {
  private static final long serialVersionUID = 1L;

  public ConnectionLostException(String message) {
    super(message);
  }

  /** Whether {@code failure} or one of its causes is a {@link ConnectionLostException}. */
  public static boolean isCauseOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectionLostException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
