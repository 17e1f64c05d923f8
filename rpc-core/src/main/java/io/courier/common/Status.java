package io.courier.common;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The outcome of a call: a {@link StatusCode}, an optional human-readable description and an optional
 * local cause (never sent on the wire). Immutable.
 *
 * <pre>{@code
 * throw Status.NOT_FOUND.withDescription("user " + id).asException();
 * }</pre>
 */
public final class Status {

  public static final Status OK = new Status(StatusCode.OK, null, null);
  public static final Status CANCELLED = new Status(StatusCode.CANCELLED, null, null);
  public static final Status UNKNOWN = new Status(StatusCode.UNKNOWN, null, null);
  public static final Status INVALID_ARGUMENT = new Status(StatusCode.INVALID_ARGUMENT, null, null);
  public static final Status DEADLINE_EXCEEDED = new Status(StatusCode.DEADLINE_EXCEEDED, null, null);
  public static final Status NOT_FOUND = new Status(StatusCode.NOT_FOUND, null, null);
  public static final Status ALREADY_EXISTS = new Status(StatusCode.ALREADY_EXISTS, null, null);
  public static final Status PERMISSION_DENIED = new Status(StatusCode.PERMISSION_DENIED, null, null);
  public static final Status RESOURCE_EXHAUSTED = new Status(StatusCode.RESOURCE_EXHAUSTED, null, null);
  public static final Status FAILED_PRECONDITION = new Status(StatusCode.FAILED_PRECONDITION, null, null);
  public static final Status ABORTED = new Status(StatusCode.ABORTED, null, null);
  public static final Status OUT_OF_RANGE = new Status(StatusCode.OUT_OF_RANGE, null, null);
  public static final Status UNIMPLEMENTED = new Status(StatusCode.UNIMPLEMENTED, null, null);
  public static final Status INTERNAL = new Status(StatusCode.INTERNAL, null, null);
  public static final Status UNAVAILABLE = new Status(StatusCode.UNAVAILABLE, null, null);
  public static final Status DATA_LOSS = new Status(StatusCode.DATA_LOSS, null, null);
  public static final Status UNAUTHENTICATED = new Status(StatusCode.UNAUTHENTICATED, null, null);

  private static final Status[] BY_CODE = {
      OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS,
      PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED,
      INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED};

  private final StatusCode code;
  private final String description;
  private final Throwable cause;

  private Status(StatusCode code, String description, Throwable cause) {
    this.code = Objects.requireNonNull(code, "code");
    this.description = description;
    this.cause = cause;
  }

  /** The status with this code and no description. */
  public static Status of(StatusCode code) {
    return BY_CODE[code.value()];
  }

  /** The status with this numeric code; {@link #UNKNOWN} with an explaining description for non-codes. */
  public static Status fromCodeValue(int value) {
    if (value >= 0 && value < BY_CODE.length) {
      return BY_CODE[value];
    }
    return UNKNOWN.withDescription("unknown status code " + value);
  }

  /**
   * The status that best describes {@code t}: the status of an {@link RpcException} found in its cause
   * chain, {@code DEADLINE_EXCEEDED} for a timeout, {@code CANCELLED} for a cancellation, else
   * {@code UNKNOWN} with {@code t} as cause.
   */
  public static Status fromThrowable(Throwable t) {
    Throwable unwrapped = unwrap(t);
    for (Throwable c = unwrapped; c != null; c = c.getCause()) {
      if (c instanceof RpcException rpc) {
        return rpc.status();
      }
    }
    if (unwrapped instanceof TimeoutException) {
      return DEADLINE_EXCEEDED.withDescription(unwrapped.getMessage()).withCause(unwrapped);
    }
    if (unwrapped instanceof CancellationException) {
      return CANCELLED.withDescription(unwrapped.getMessage()).withCause(unwrapped);
    }
    return UNKNOWN.withDescription(String.valueOf(unwrapped)).withCause(unwrapped);
  }

  /** Strips {@link CompletionException} and {@link ExecutionException} wrappers. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  public StatusCode code() {
    return code;
  }

  /** The description, or {@code null}. */
  public String description() {
    return description;
  }

  /** The local cause, or {@code null}. Causes are never sent to the peer. */
  public Throwable cause() {
    return cause;
  }

  public boolean isOk() {
    return code == StatusCode.OK;
  }

  public Status withDescription(String newDescription) {
    return Objects.equals(description, newDescription) ? this : new Status(code, newDescription, cause);
  }

  /** Appends {@code detail} to the existing description, on a new line. */
  public Status augmentDescription(String detail) {
    if (detail == null) {
      return this;
    }
    return new Status(code, description == null ? detail : description + "\n" + detail, cause);
  }

  public Status withCause(Throwable newCause) {
    return cause == newCause ? this : new Status(code, description, newCause);
  }

  /** An exception carrying this status and no trailers. */
  public RpcException asException() {
    return new RpcException(this, Metadata.EMPTY);
  }

  /** An exception carrying this status and {@code trailers}. */
  public RpcException asException(Metadata trailers) {
    return new RpcException(this, trailers);
  }

  /** Equal code and description; causes are not compared. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Status other && code == other.code && Objects.equals(description, other.description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, description);
  }

  @Override
  public String toString() {
    return description == null ? code.name() : code + ": " + description;
  }
}
