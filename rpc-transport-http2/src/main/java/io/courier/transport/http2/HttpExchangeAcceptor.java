package io.courier.transport.http2;

import io.courier.common.Status;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP requests on HTTP/2 streams: each new stream becomes an {@link Http2StreamExchange}, handed to
 * {@code requests} (the {@link Http1Handler} hook of an {@code http2} port, or the {@code rest} transport's server)
 * for the {@link HttpExchange.Receiver} of its body. Headers that do not make an HTTP request are answered
 * {@code 400}; a request {@code requests} refuses ({@code null}, or by throwing) gets the {@code 415} a gRPC server
 * gives what is not gRPC.
 */
final class HttpExchangeAcceptor implements StreamAcceptor {

  private static final Logger log = LoggerFactory.getLogger(HttpExchangeAcceptor.class);

  private final Function<HttpExchange, HttpExchange.Receiver> requests;

  HttpExchangeAcceptor(Function<HttpExchange, HttpExchange.Receiver> requests) {
    this.requests = requests;
  }

  @Override
  public void accept(Http2ServerConnection connection, Http2Stream stream, Http2Headers headers, boolean endOfStream) {
    HttpRequest request;
    try {
      request = HttpConversionUtil.toHttpRequest(stream.id(), headers, true);
    } catch (Http2Exception | RuntimeException e) {
      connection.refuse(stream, 400, Status.INTERNAL.withDescription("malformed request headers: " + e.getMessage()));
      return;
    }
    Http2StreamExchange exchange = new Http2StreamExchange(connection, stream, request);
    connection.attach(stream, exchange);
    HttpExchange.Receiver receiver;
    try {
      receiver = requests.apply(exchange);
    } catch (RuntimeException e) {
      log.warn("the HTTP request handler failed on {} {} from {}", request.method(), request.uri(),
          connection.remoteAddress(), e);
      receiver = null;
    }
    if (receiver == null) {
      connection.detach(stream);
      connection.refuse(stream, 415, Status.INTERNAL.withDescription("content-type '"
          + headers.get(GrpcProtocol.CONTENT_TYPE) + "' is not supported (expected: application/grpc, "
          + "application/grpc+proto or application/grpc+<serializer>)"));
      return;
    }
    exchange.receiver(receiver);
    if (endOfStream) {
      exchange.inbound(Unpooled.EMPTY_BUFFER, true);
    }
  }
}
