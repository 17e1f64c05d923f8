package io.courier.transport.http2;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * What a new stream of an {@link Http2ServerConnection} is: the connection hands each stream's first HEADERS to its
 * acceptor (in the way grpc-java's {@code NettyServerHandler} hands them to its {@code ServerTransportListener}), which
 * decides. {@link GrpcStreamAcceptor} admits gRPC calls, {@link HttpExchangeAcceptor} hands a request to an
 * {@link HttpExchange} receiver (REST over h2), and {@link #byContentType} puts the two on one port.
 *
 * <p>Called on the connection's event loop. Before it returns, the acceptor either answers the stream
 * ({@link Http2ServerConnection#respond}, {@link Http2ServerConnection#refuse}: a refusal never reads the request's
 * body, whose DATA is dropped and its flow-control credit returned), or {@link Http2ServerConnection#attach}es the
 * {@link Http2ServerConnection.InboundStream} that gets the rest of the request. An acceptor that throws fails the
 * connection (Netty's connection error: GOAWAY {@code INTERNAL_ERROR}, then close), so an acceptor that calls code it
 * does not trust catches what it throws and answers the stream itself.
 */
@FunctionalInterface
interface StreamAcceptor {

  /**
   * Takes the new {@code stream}, whose request starts with {@code headers} ({@code endOfStream}: and ends there).
   */
  void accept(Http2ServerConnection connection, Http2Stream stream, Http2Headers headers, boolean endOfStream);

  /**
   * A port that serves gRPC and plain HTTP requests: a request whose content type is gRPC's ({@code application/grpc},
   * {@code application/grpc+<serializer>}) goes to {@code grpc}, every other to {@code http}.
   */
  static StreamAcceptor byContentType(StreamAcceptor grpc, StreamAcceptor http) {
    return (connection, stream, headers, endOfStream) -> {
      if (GrpcProtocol.serializerFor(headers.get(GrpcProtocol.CONTENT_TYPE)) == null) {
        http.accept(connection, stream, headers, endOfStream);
      } else {
        grpc.accept(connection, stream, headers, endOfStream);
      }
    };
  }
}
