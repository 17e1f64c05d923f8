package io.courier.transport.http2;

import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.server.CallHead;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerConnection;
import io.courier.transport.netty.ChannelConnections;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.Locale;

/**
 * gRPC admission: validates a new stream's HEADERS (method, path, content type, encoding, timeout), admits the call
 * ({@link ServerCallHandler#admit}, before a byte of its body is buffered), creates its {@link GrpcServerStream} and
 * hands it to the core.
 *
 * <p>Requests that are not gRPC get the HTTP status gRPC asks for (405 for a method other than POST, 415 for a content
 * type that is not {@code application/grpc...}, 404 for a malformed path) with a {@code grpc-status}; gRPC failures
 * before a call starts (refused admission, unknown serializer, unsupported encoding, malformed timeout) get a
 * Trailers-Only response.
 */
final class GrpcStreamAcceptor implements StreamAcceptor {

  private final ServerCallHandler calls;
  private final SerializerSet serializers;
  private final int maxMessageSize;

  GrpcStreamAcceptor(ServerCallHandler calls, SerializerSet serializers, int maxMessageSize) {
    this.calls = calls;
    this.serializers = serializers;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public void accept(Http2ServerConnection connection, Http2Stream stream, Http2Headers headers, boolean endOfStream) {
    if (!GrpcProtocol.POST.contentEquals(headers.method())) {
      connection.refuse(stream, 405, Status.INTERNAL.withDescription("method '" + headers.method()
          + "' is not supported (expected: POST)"));
      return;
    }
    CharSequence contentType = headers.get(GrpcProtocol.CONTENT_TYPE);
    String serializerName = GrpcProtocol.serializerFor(contentType);
    if (serializerName == null) {
      connection.refuse(stream, 415, Status.INTERNAL.withDescription("content-type '" + contentType
          + "' is not supported (expected: " + GrpcProtocol.CONTENT_TYPES + ")"));
      return;
    }
    CharSequence path = headers.path();
    String p = path == null ? "" : path.toString();
    int slash = p.lastIndexOf('/');
    if (!p.startsWith("/") || slash <= 1 || slash == p.length() - 1) {
      connection.refuse(stream, 404, Status.UNIMPLEMENTED.withDescription("malformed path '" + p
          + "' (expected: /<service>/<method>)"));
      return;
    }
    String service = p.substring(1, slash);
    String methodName = p.substring(slash + 1);
    MethodDescriptor method = calls.lookup(service, methodName);
    Metadata metadata = GrpcProtocol.readMetadata(headers, GrpcProtocol.ENCODING_METADATA);
    // admission (authentication, access rules) on the headers, before any DATA of the stream is buffered
    CallHead head = new CallHead(service, methodName, method, metadata, connection.remoteAddress());
    ServerConnection serverConnection = ChannelConnections.of(connection.channel(), calls);
    Status refusal = calls.admit(serverConnection, head);
    if (refusal != null) {
      respondTrailersOnly(connection, stream, contentType, refusal);
      return;
    }
    Serializer serializer = serializers.find(serializerName);
    if (serializer == null) {
      respondTrailersOnly(connection, stream, contentType, Status.UNIMPLEMENTED.withDescription("serializer '"
          + serializerName + "' (from content-type '" + contentType + "') is not available on this server (available: "
          + serializers.names() + ")"));
      return;
    }
    CharSequence encoding = headers.get(GrpcProtocol.GRPC_ENCODING);
    boolean gzip = false;
    if (encoding != null && !"identity".contentEquals(encoding)) {
      if (!GrpcProtocol.GZIP.contentEqualsIgnoreCase(encoding)) {
        respondTrailersOnly(connection, stream, contentType, Status.UNIMPLEMENTED.withDescription("grpc-encoding '"
            + encoding + "' is not supported (supported: gzip, identity)"));
        return;
      }
      gzip = true;
    }
    long timeoutNanos = -1;
    CharSequence timeout = headers.get(GrpcProtocol.GRPC_TIMEOUT);
    if (timeout != null) {
      try {
        timeoutNanos = GrpcProtocol.parseTimeout(timeout);
      } catch (IllegalArgumentException e) {
        respondTrailersOnly(connection, stream, contentType,
            Status.INTERNAL.withDescription("malformed " + e.getMessage()));
        return;
      }
    }
    CharSequence accept = headers.get(GrpcProtocol.GRPC_ACCEPT_ENCODING);
    boolean acceptsGzip = accept != null && accept.toString().toLowerCase(Locale.ROOT).contains("gzip");
    GrpcServerStream call = new GrpcServerStream(connection, stream, head, serverConnection, calls, serializer,
        serializerName.equals("protobuf") ? GrpcProtocol.APPLICATION_GRPC : contentType, timeoutNanos,
        gzip, acceptsGzip, maxMessageSize);
    connection.attach(stream, call);
    if (call.dispatchesImmediately()) {
      call.markDispatched();
      calls.handle(call);
    }
    if (endOfStream) {
      call.inbound(Unpooled.EMPTY_BUFFER, true);
    }
  }

  private static void respondTrailersOnly(Http2ServerConnection connection, Http2Stream stream,
      CharSequence contentType, Status status) {
    Http2Headers headers = new DefaultHttp2Headers(false).status(GrpcProtocol.STATUS_OK)
        .set(GrpcProtocol.CONTENT_TYPE, contentType == null ? GrpcProtocol.APPLICATION_GRPC : contentType);
    if (status.code() == StatusCode.UNIMPLEMENTED) {
      headers.set(GrpcProtocol.GRPC_ACCEPT_ENCODING, GrpcProtocol.ACCEPTED_ENCODINGS);
    }
    GrpcProtocol.statusHeaders(headers, status);
    connection.respond(stream, headers);
  }
}
