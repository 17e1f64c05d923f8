package io.courier.transport.netty;

import io.courier.common.Endpoint;
import io.courier.common.Status;

/**
 * What Courier's HTTP/2 clients (gRPC's, and REST's over h2) do with a call whose stream the server refused without
 * processing any of it — reset with {@code REFUSED_STREAM}, above the last stream id of a GOAWAY, or never created
 * because the connection went away first: nothing of the call ran, so it is sent again, idempotent or not, as gRPC's
 * transparent retry does, at most {@value #MAX_RESENDS} times and only while no response to it has started. A call
 * that may not be sent again fails with the {@code UNAVAILABLE} status named here for its case, which carries no
 * {@link io.courier.transport.ConnectionLostException}: safe for the cluster layer to retry. One per call; not
 * thread-safe: used on the event loop of the connection carrying the call, handed over with it.
 *
 * <pre>{@code
 * if (refusal.mayResend(headersReceived)) {
 *   restart.run(); // a usable connection: a fresh one if this one is going away
 * } else {
 *   fail(StreamRefusal.refusedStream(endpoint, method.fullName()));
 * }
 * }</pre>
 */
public final class StreamRefusal {

  /** How often one call is sent again after a refusal: as gRPC, twice. */
  public static final int MAX_RESENDS = 2;

  private int resends;

  /**
   * Whether the refused call may be sent again now, counting the resend if so: not once its response has started, and
   * at most {@value #MAX_RESENDS} times.
   */
  public boolean mayResend(boolean responseStarted) {
    if (responseStarted || resends >= MAX_RESENDS) {
      return false;
    }
    resends++;
    return true;
  }

  /** The server reset the call's stream with {@code REFUSED_STREAM}. */
  public static Status refusedStream(Endpoint endpoint, String method) {
    return Status.UNAVAILABLE.withDescription(endpoint + " refused the stream of " + method
        + " (REFUSED_STREAM); safe to retry");
  }

  /** The call's stream was above the last stream id of the server's GOAWAY. */
  public static Status wentAway(Endpoint endpoint, String method) {
    return Status.UNAVAILABLE.withDescription(endpoint + " went away before it processed " + method
        + " (GOAWAY); safe to retry");
  }

  /**
   * The call's stream was never created: still queued for the server's {@code MAX_CONCURRENT_STREAMS} when GOAWAY
   * came, or its connection was closing or out of stream ids.
   */
  public static Status notSent(Endpoint endpoint, String method, String why, Throwable cause) {
    return Status.UNAVAILABLE.withDescription("could not send " + method + " to " + endpoint + ": " + why
        + "; safe to retry").withCause(cause);
  }
}
