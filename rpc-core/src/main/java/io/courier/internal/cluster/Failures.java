package io.courier.internal.cluster;

import io.courier.common.RpcException;
import io.courier.common.Status;
import io.courier.internal.common.ApplicationExceptions;
import io.courier.transport.ConnectionLostException;

/**
 * The cluster layer's reading of a failed attempt: what it says about the provider's health, and whether the call
 * may be retried elsewhere. The rules are documented on {@code ClusterMode.FAILOVER}; this is their one
 * implementation.
 */
final class Failures {

  private Failures() {}

  /** What an attempt's end says about its provider. */
  enum Outcome {
    /** Answered: a result, an application exception, or a status that is an answer (NOT_FOUND, ...). */
    SUCCESS,
    /** Did not answer within the deadline: its latency counts, not as a failure. */
    SLOW,
    /** Could not be reached, refused the call, or was shutting down: eject it now. */
    UNREACHABLE,
    /** Failed (connection lost mid-call, internal error): counts toward ejection. */
    FAILURE,
    /** Says nothing about the provider (cancelled, overloaded, local failure). */
    NEUTRAL
  }

  /** Whether a failed call may be retried on another provider. */
  enum Retry {
    /** The request cannot have run. */
    ALWAYS,
    /** The request may have run: only for {@code @Idempotent} methods. */
    IF_IDEMPOTENT,
    NEVER
  }

  static Outcome outcome(Throwable failure) {
    if (failure == null) {
      return Outcome.SUCCESS;
    }
    Throwable t = Status.unwrap(failure);
    if (!(t instanceof RpcException rpc)) {
      return Outcome.NEUTRAL;
    }
    if (ApplicationExceptions.isApplicationException(rpc)) {
      return Outcome.SUCCESS;
    }
    return switch (rpc.code()) {
      case UNAVAILABLE -> ConnectionLostException.isCauseOf(rpc) ? Outcome.FAILURE : Outcome.UNREACHABLE;
      case INTERNAL, UNKNOWN, DATA_LOSS -> Outcome.FAILURE;
      case DEADLINE_EXCEEDED -> Outcome.SLOW;
      case CANCELLED, RESOURCE_EXHAUSTED, ABORTED, UNIMPLEMENTED -> Outcome.NEUTRAL;
      default -> Outcome.SUCCESS;
    };
  }

  static Retry retry(Throwable failure) {
    Throwable t = Status.unwrap(failure);
    if (!(t instanceof RpcException rpc) || ApplicationExceptions.isApplicationException(rpc)) {
      return Retry.NEVER;
    }
    return switch (rpc.code()) {
      case UNAVAILABLE -> ConnectionLostException.isCauseOf(rpc) ? Retry.IF_IDEMPOTENT : Retry.ALWAYS;
      case INTERNAL, UNKNOWN, RESOURCE_EXHAUSTED, ABORTED, DATA_LOSS, UNIMPLEMENTED -> Retry.IF_IDEMPOTENT;
      default -> Retry.NEVER;
    };
  }

  /** Whether the failure is an answer from a provider that forking and broadcast treat like a result. */
  static boolean isAnswer(Throwable failure) {
    return outcome(failure) == Outcome.SUCCESS;
  }

  /** {@code failure} with {@code note} appended to its description, keeping its code, trailers and cause. */
  static Throwable annotate(Throwable failure, String note) {
    Throwable t = Status.unwrap(failure);
    if (!(t instanceof RpcException rpc) || ApplicationExceptions.isApplicationException(rpc)) {
      return t; // never rewrite what the service threw
    }
    RpcException annotated = new RpcException(rpc.status().augmentDescription("(" + note + ")"), rpc.trailers());
    annotated.setStackTrace(rpc.getStackTrace());
    return annotated;
  }
}
