package io.courier.transport.rest;

import io.courier.common.Deadline;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.console.Console;
import io.courier.serialization.Serializer;
import io.courier.server.CallHead;
import io.courier.server.InternalServerCalls;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerConnection;
import io.courier.transport.TransportContext;
import io.courier.transport.http2.HttpExchange;
import io.courier.transport.netty.ChannelConnections;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.TimeUnit;

/**
 * The REST binding of one server: its route table, codec and limits, built once when the server starts (so that a
 * bad route fails the start), and the start of every request — routing, content type, size and deadline checks —
 * whatever protocol brought it (HTTP/1.1, h2 on the {@code rest} listener, h2 on an {@code http2} port). A request
 * that passes becomes a {@link RestServerCall}, which collects the body and hands the call to the core. Immutable.
 */
final class RestServer {

  static final String UNKNOWN_ROUTE_HINT = "(expected: POST /<service>/<method>, or a @RestRoute route of an exported"
      + " service)";

  final ServerCallHandler calls;
  final RestRouter router;
  final RestCodec codec;
  final int maxBodySize;
  final int maxPipelined;
  final long idleMillis;
  final long readTimeoutMillis;
  /** The service description endpoint, or null when {@link RestOptions#DESCRIBE_SERVICES} is off. */
  private final ServiceDescriptions descriptions;
  /** The server's console, or null when it is off. */
  private final Console console;

  private RestServer(ServerCallHandler calls, RestRouter router, RestCodec codec, int maxBodySize, int maxPipelined,
      long idleMillis, long readTimeoutMillis, ServiceDescriptions descriptions, Console console) {
    this.calls = calls;
    this.router = router;
    this.codec = codec;
    this.maxBodySize = maxBodySize;
    this.maxPipelined = maxPipelined;
    this.idleMillis = idleMillis;
    this.readTimeoutMillis = readTimeoutMillis;
    this.descriptions = descriptions;
    this.console = console;
  }

  /**
   * @throws IllegalStateException if the json serializer is missing
   * @throws IllegalArgumentException if a route is not usable (the message names the method)
   */
  static RestServer create(ServerCallHandler calls, TransportContext context) {
    RestCodec codec = RestCodec.of(context.serializers());
    return new RestServer(calls, new RestRouter(calls.services()), codec,
        context.options().get(RestOptions.MAX_BODY_SIZE), context.options().get(RestOptions.MAX_PIPELINED_REQUESTS),
        context.options().get(RestOptions.IDLE_TIMEOUT).toMillis() * 2,
        context.options().get(RestOptions.READ_TIMEOUT).toMillis(),
        context.options().get(RestOptions.DESCRIBE_SERVICES) ? ServiceDescriptions.of(calls.services()) : null,
        context.console());
  }

  /**
   * Starts serving one request: answers it at once if it cannot be served, else returns its call. The order of the
   * checks: routing (the method the request names), then admission on the headers — authentication and access rules
   * answer {@code 401}/{@code 403}, before any other answer that would tell a refused caller about the route, and
   * before a byte of the body is kept — then the route's own answers ({@code 404}, {@code 405}), then content type,
   * size and deadline. A generic call ({@code courier-generic} header) is routed by service and method name alone
   * ({@link RestRouter#matchGeneric}). With {@link RestOptions#DESCRIBE_SERVICES}, {@code /courier/services} and the
   * paths below it are the service description endpoint's ({@link ServiceDescriptions}); with the console on,
   * {@code /courier/console} and the paths below it are the console's ({@link ConsoleExchange}).
   */
  HttpExchange.Receiver serve(HttpExchange exchange) {
    HttpRequest request = exchange.request();
    HttpHeaders headers = request.headers();
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String rawPath = uri.rawPath();
    if (descriptions != null && ServiceDescriptions.matches(rawPath)) {
      return descriptions.serve(this, exchange, rawPath);
    }
    if (console != null && ConsoleExchange.matches(rawPath)) {
      return ConsoleExchange.serve(this, console, exchange, uri);
    }
    RestRouter.Match match = headers.contains(InternalServerCalls.GENERIC_HEADER_NAME)
        ? router.matchGeneric(request.method().name(), rawPath) : router.match(request.method().name(), rawPath);
    Metadata metadata = RestHeaders.readMetadata(headers);
    CallHead head = head(match, rawPath, metadata, exchange);
    ServerConnection connection = ChannelConnections.of(exchange.channel(), calls);
    Status refusal = calls.admit(connection, head);
    if (refusal != null && (match.found() || !isUnimplemented(refusal))) {
      respond(exchange, refusal, null);
      return HttpExchange.Receiver.DISCARD;
    }
    if (!match.found()) {
      if (match.httpStatus() == 404) {
        respond(exchange, notFound(rawPath, request.method().name()), null);
      } else if (match.httpStatus() == 405) {
        respond(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED,
            Status.UNIMPLEMENTED.withDescription(match.problem()), match.allow());
      } else {
        respond(exchange, Status.INVALID_ARGUMENT.withDescription(match.problem()), null);
      }
      return HttpExchange.Receiver.DISCARD;
    }
    RestMapping mapping = match.mapping();
    long length = HttpUtil.getContentLength(request, -1L);
    if (length > maxBodySize) {
      respond(exchange, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Status.RESOURCE_EXHAUSTED.withDescription(
          "the body of " + length + " bytes is over the limit of " + maxBodySize
          + " bytes (RestOptions.MAX_BODY_SIZE on the server)"), null);
      return HttpExchange.Receiver.DISCARD;
    }
    boolean hasBody = length > 0 || HttpUtil.isTransferEncodingChunked(request);
    Serializer bodySerializer = codec.json();
    String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
    if (hasBody || mapping.bodyParams().length > 0) {
      // A body is read only with a content type that says what it is: never a form or text (or none), which a
      // browser page could send cross-site without asking first (no CORS preflight).
      bodySerializer = hasBody && contentType == null ? null : codec.forContentType(contentType);
      if (bodySerializer == null) {
        respond(exchange, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, Status.INVALID_ARGUMENT.withDescription(
            (contentType == null ? "a body without a content-type" : "content-type '" + contentType + "'")
            + " is not supported (expected: application/json"
            + (codec.protobuf() != null ? ", or application/x-protobuf for protobuf messages" : "")
            + (OctetStreamBody.readsRequestOf(mapping) ? ", or application/octet-stream for its byte[]" : "")
            + "; with curl: -H 'Content-Type: application/json', or --json)"), null);
        return HttpExchange.Receiver.DISCARD;
      }
      if (bodySerializer == OctetStreamBody.INSTANCE && !OctetStreamBody.readsRequestOf(mapping)) {
        respond(exchange, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, Status.INVALID_ARGUMENT.withDescription(
            "content-type 'application/octet-stream' is read only for a method whose one body parameter is byte[]; "
            + mapping.describe() + " takes " + (mapping.bodyParams().length == 0 ? "no body"
            : RestCodec.expectedBody(mapping)) + " (send application/json)"), null);
        return HttpExchange.Receiver.DISCARD;
      }
    }
    Serializer responseSerializer = responseSerializer(mapping, bodySerializer, headers.get(HttpHeaderNames.ACCEPT));
    Deadline deadline = null;
    String timeout = headers.get(RestHeaders.TIMEOUT);
    if (timeout != null) {
      try {
        deadline = Deadline.after(RestHeaders.parseTimeout(timeout), TimeUnit.NANOSECONDS);
      } catch (IllegalArgumentException e) {
        respond(exchange, Status.INVALID_ARGUMENT.withDescription("malformed " + e.getMessage()), null);
        return HttpExchange.Receiver.DISCARD;
      }
    }
    RestServerCall call = new RestServerCall(this, exchange, head, connection, mapping, match.variables(), uri,
        deadline, bodySerializer, responseSerializer);
    if (length > 0) {
      call.reserveBody(length);
    }
    return call;
  }

  /**
   * The head admission sees: the routed method; for a request no route takes, the service and method a
   * {@code POST /<service>/<method>} path names, or the path itself.
   */
  private static CallHead head(RestRouter.Match match, String rawPath, Metadata metadata, HttpExchange exchange) {
    if (match.found()) {
      MethodDescriptor method = match.mapping().method();
      return new CallHead(method.service().name(), method.name(), method, metadata, exchange.remoteAddress());
    }
    String[] segments;
    try {
      segments = RestRouter.segments(rawPath);
    } catch (IllegalArgumentException e) {
      segments = new String[0];
    }
    return segments.length == 2 ? new CallHead(segments[0], segments[1], null, metadata, exchange.remoteAddress())
        : new CallHead("", rawPath, null, metadata, exchange.remoteAddress());
  }

  private static boolean isUnimplemented(Status status) {
    return status.code() == StatusCode.UNIMPLEMENTED;
  }

  /**
   * Raw bytes answer a {@code byte[]} result when the request sent raw bytes or accepts them; protobuf answers protobuf
   * requests, and requests that accept it but not JSON; JSON answers the rest.
   */
  private Serializer responseSerializer(RestMapping mapping, Serializer bodySerializer, String accept) {
    if (mapping.method().responseType() == byte[].class && (bodySerializer == OctetStreamBody.INSTANCE
        || accept != null && accept.contains(OctetStreamBody.MEDIA_TYPE))) {
      return OctetStreamBody.INSTANCE;
    }
    Serializer protobuf = codec.protobuf();
    if (protobuf == null) {
      return codec.json();
    }
    if (bodySerializer == protobuf) {
      return protobuf;
    }
    if (accept != null && (accept.contains(RestCodec.APPLICATION_PROTOBUF) || accept.contains("application/protobuf"))
        && !accept.contains("json") && !accept.contains("*/*")) {
      return protobuf;
    }
    return codec.json();
  }

  /** The 404 of a request no route takes: the core's message naming the missing service or method where it can. */
  private Status notFound(String rawPath, String method) {
    String[] segments;
    try {
      segments = RestRouter.segments(rawPath);
    } catch (IllegalArgumentException e) {
      segments = new String[0];
    }
    if (segments.length == 2 && method.equals("POST")) {
      return calls.unimplemented(segments[0], segments[1]);
    }
    return Status.UNIMPLEMENTED.withDescription("no route for " + method + " " + rawPath + " " + UNKNOWN_ROUTE_HINT);
  }

  void respond(HttpExchange exchange, Status status, String allow) {
    respond(exchange, RestErrors.httpStatus(status.code()), status, allow);
  }

  void respond(HttpExchange exchange, HttpResponseStatus httpStatus, Status status, String allow) {
    exchange.respond(errorResponse(exchange, httpStatus, status, Metadata.EMPTY, null, allow));
  }

  /** A complete error response: the JSON error body, the status's HTTP status unless given, metadata headers. */
  FullHttpResponse errorResponse(HttpExchange exchange, HttpResponseStatus httpStatus, Status status,
      Metadata metadata, String exceptionClass, String allow) {
    ByteBuf body = RestErrors.body(exchange.alloc(), status, exceptionClass);
    HttpResponseStatus effective = httpStatus != null ? httpStatus : RestErrors.httpStatus(status.code());
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, effective, body);
    HttpHeaders h = response.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (allow != null) {
      h.set(HttpHeaderNames.ALLOW, allow);
    }
    RestHeaders.writeMetadata(metadata, h);
    if (effective == HttpResponseStatus.TOO_MANY_REQUESTS) {
      h.set(HttpHeaderNames.RETRY_AFTER, "1");
    }
    return response;
  }
}
