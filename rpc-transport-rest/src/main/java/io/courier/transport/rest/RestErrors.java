package io.courier.transport.rest;

import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.serialization.Serializer;
import io.courier.server.InternalServerCalls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Failures over REST: the HTTP status of each {@link StatusCode}, the JSON error body
 * {@code {"code":"NOT_FOUND","message":"...","exception":"com.acme.NoSuchUser"}} (the exception only for an
 * exception thrown by the service: its class, as the {@code courier-exception} header also says), and the way
 * back for clients.
 *
 * <pre>
 * OK 200 (204 without a body)   CANCELLED 499            UNKNOWN 500               INVALID_ARGUMENT 400
 * DEADLINE_EXCEEDED 504         NOT_FOUND 404            ALREADY_EXISTS 409        PERMISSION_DENIED 403
 * RESOURCE_EXHAUSTED 429        FAILED_PRECONDITION 400  ABORTED 409               OUT_OF_RANGE 400
 * UNIMPLEMENTED 404             INTERNAL 500             UNAVAILABLE 503           DATA_LOSS 500
 * UNAUTHENTICATED 401
 * </pre>
 */
final class RestErrors {

  private static final HttpResponseStatus CLIENT_CLOSED_REQUEST = new HttpResponseStatus(499, "Client Closed Request");

  private RestErrors() {}

  /** The HTTP status a failure with {@code code} gets (the table above; as Google's HTTP mapping of gRPC codes). */
  static HttpResponseStatus httpStatus(StatusCode code) {
    int status = InternalServerCalls.httpStatus(code);
    return status == CLIENT_CLOSED_REQUEST.code() ? CLIENT_CLOSED_REQUEST : HttpResponseStatus.valueOf(status);
  }

  /**
   * The code of an HTTP error whose body does not say (not a Courier server, or a proxy answered): the reverse of
   * the table where it is unambiguous, else gRPC's http-grpc-status-mapping.
   */
  static StatusCode codeOf(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> StatusCode.INVALID_ARGUMENT;
      case 401 -> StatusCode.UNAUTHENTICATED;
      case 403 -> StatusCode.PERMISSION_DENIED;
      case 404, 405, 501 -> StatusCode.UNIMPLEMENTED;
      case 409 -> StatusCode.ABORTED;
      case 412 -> StatusCode.FAILED_PRECONDITION;
      case 413, 429 -> StatusCode.RESOURCE_EXHAUSTED;
      case 415 -> StatusCode.INVALID_ARGUMENT;
      case 499 -> StatusCode.CANCELLED;
      case 502, 503 -> StatusCode.UNAVAILABLE;
      case 504 -> StatusCode.DEADLINE_EXCEEDED;
      case 500 -> StatusCode.INTERNAL;
      default -> StatusCode.UNKNOWN;
    };
  }

  /** The error body of {@code status}: a JSON object written by hand (three strings, no Jackson needed). */
  static ByteBuf body(ByteBufAllocator alloc, Status status, String exceptionClass) {
    StringBuilder sb = new StringBuilder(96).append("{\"code\":\"").append(status.code().name()).append('"');
    sb.append(",\"message\":").append(RestCodec.quote(status.description() == null ? status.code().name()
        : status.description()));
    if (exceptionClass != null) {
      sb.append(",\"exception\":").append(RestCodec.quote(exceptionClass));
    }
    sb.append("}\n");
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  /** What a client reads from an error response. */
  record Error(StatusCode code, String message, String exception) {}

  /**
   * Reads an error body written by {@link #body}; {@code null} if it is not one (another server, a proxy's page).
   * Leaves {@code body}'s reader index where it was.
   */
  static Error read(Serializer json, ByteBuf body) {
    if (!body.isReadable() || body.getByte(body.readerIndex()) != '{') {
      return null;
    }
    Object parsed;
    try {
      parsed = json.read(body.duplicate(), Map.class);
    } catch (RuntimeException e) {
      return null;
    }
    if (!(parsed instanceof Map<?, ?> map) || !(map.get("code") instanceof String code)) {
      return null;
    }
    StatusCode statusCode;
    try {
      statusCode = StatusCode.valueOf(code);
    } catch (IllegalArgumentException e) {
      return null;
    }
    Object message = map.get("message");
    Object exception = map.get("exception");
    return new Error(statusCode, message instanceof String m ? m : null,
        exception instanceof String e ? e : null);
  }
}
