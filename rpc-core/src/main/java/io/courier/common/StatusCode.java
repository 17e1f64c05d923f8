package io.courier.common;

/**
 * The outcome of a call, with the same names and numbers as gRPC's status codes so that every Courier
 * transport, and any gRPC peer, agrees on what a failure means.
 */
public enum StatusCode {
  /** Success. */
  OK(0),
  /** The caller cancelled the call. */
  CANCELLED(1),
  /** An error with no better code; also how an application exception thrown by a service arrives. */
  UNKNOWN(2),
  /** The request is malformed or names something impossible, whatever the system state. */
  INVALID_ARGUMENT(3),
  /** The deadline passed before the call completed. */
  DEADLINE_EXCEEDED(4),
  /** A requested entity was not found. */
  NOT_FOUND(5),
  /** The entity the caller tried to create already exists. */
  ALREADY_EXISTS(6),
  /** The caller is known but may not do this. */
  PERMISSION_DENIED(7),
  /** A limit was reached: a full worker pool, too many streams, a message over the size limit. */
  RESOURCE_EXHAUSTED(8),
  /** The system is not in a state that allows the operation. */
  FAILED_PRECONDITION(9),
  /** The operation was aborted, typically by a concurrency conflict. */
  ABORTED(10),
  /** The operation went past the valid range. */
  OUT_OF_RANGE(11),
  /** The service or method does not exist on the server. */
  UNIMPLEMENTED(12),
  /** An invariant was broken; a bug in Courier or in a serializer. */
  INTERNAL(13),
  /** The server could not be reached or the connection dropped; safe to retry elsewhere. */
  UNAVAILABLE(14),
  /** Unrecoverable data loss or corruption. */
  DATA_LOSS(15),
  /** The caller has no valid credentials. */
  UNAUTHENTICATED(16);

  private static final StatusCode[] BY_VALUE = values();

  private final int value;

  StatusCode(int value) {
    this.value = value;
  }

  /** The numeric code, as carried on the wire. */
  public int value() {
    return value;
  }

  /** The code with this number; {@link #UNKNOWN} for numbers that are not codes, as gRPC specifies. */
  public static StatusCode fromValue(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNKNOWN;
  }
}
