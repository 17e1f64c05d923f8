package io.courier.common;

/**
 * The one unchecked exception of Courier: a call ended with a non-OK {@link Status}. Its cause is the
 * status's local cause; {@link #trailers()} holds what the server sent along with the status.
 *
 * <pre>{@code
 * try {
 *   users.getUser(42);
 * } catch (RpcException e) {
 *   if (e.code() == StatusCode.NOT_FOUND) { ... }
 * }
 * }</pre>
 */
public class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final transient Metadata trailers;

  public RpcException(Status status) {
    this(status, Metadata.EMPTY);
  }

  public RpcException(Status status, Metadata trailers) {
    super(status.toString(), status.cause());
    this.status = status;
    this.trailers = trailers == null ? Metadata.EMPTY : trailers;
  }

  public Status status() {
    return status;
  }

  public StatusCode code() {
    return status.code();
  }

  /** Metadata the server sent with the status; empty if none. */
  public Metadata trailers() {
    return trailers;
  }
}
