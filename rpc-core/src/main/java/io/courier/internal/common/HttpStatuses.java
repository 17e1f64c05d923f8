package io.courier.internal.common;

import io.courier.common.StatusCode;

/**
 * The HTTP status a failure with a given code is answered with, for every HTTP side of Courier (the REST transport,
 * the console): Google's HTTP mapping of gRPC codes. Stateless.
 */
public final class HttpStatuses {

  private HttpStatuses() {}

  /** The HTTP status of {@code code}: {@code 499} (client closed request) for {@code CANCELLED}. */
  public static int of(StatusCode code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 499;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND, UNIMPLEMENTED -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case RESOURCE_EXHAUSTED -> 429;
      case UNAVAILABLE -> 503;
      case UNAUTHENTICATED -> 401;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
    };
  }
}
