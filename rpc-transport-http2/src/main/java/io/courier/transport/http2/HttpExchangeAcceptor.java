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
 * {@code 400}; a request {@code requests} refuses ({@code null}) gets {@code 415}, whose body names the content type
 * refused and those the endpoint accepts; one it fails on (by throwing) gets {@code 500}.
 */
final class HttpExchangeAcceptor implements StreamAcceptor {

  private static final Logger log = LoggerFactory.getLogger(HttpExchangeAcceptor.class);

  private final Function<HttpExchange, HttpExchange.Receiver> requests;
  private final String accepted; // the content types the endpoint accepts, as a 415 names them

  /** @param accepted the content types the endpoint accepts, for the {@code 415} of a request refused */
  HttpExchangeAcceptor(Function<HttpExchange, HttpExchange.Receiver> requests, String accepted) {
    this.requests = requests;
    this.accepted = accepted;
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
      connection.detach(stream);
      connection.refuseWithBody(stream, 500, Status.INTERNAL.withDescription("the server failed to take "
          + request.method() + " " + request.uri() + " (its log says why)"));
      return;
    }
    if (receiver == null) {
      connection.detach(stream);
      CharSequence type = headers.get(GrpcProtocol.CONTENT_TYPE);
      connection.refuseWithBody(stream, 415, Status.INTERNAL.withDescription((type == null
          ? "a request without a content-type" : "content-type '" + type + "'") + " is not supported on this "
          + "endpoint over HTTP/2 (expected: " + accepted + ")"));
      return;
    }
    exchange.receiver(receiver);
    if (endOfStream) {
      exchange.inbound(Unpooled.EMPTY_BUFFER, true);
    } else {
      connection.arriving(exchange); // the body, up to END_STREAM, must arrive within the read timeout
    }
  }
}
