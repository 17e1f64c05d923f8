package io.courier.transport.rest;

import io.courier.common.Metadata;
import io.courier.common.Status;
import io.courier.console.Console;
import io.courier.console.ConsoleRequest;
import io.courier.console.ConsoleResponse;
import io.courier.transport.http2.HttpExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * One request under {@link Console#PATH} on a listener that serves REST: its body (at most
 * {@link Console#MAX_BODY_BYTES}, refused unread by its {@code content-length} or as soon as it grows past that) is
 * gathered, handed to the server's {@link Console}, and the console's answer written back. Runs on the connection's
 * event loop; the answer may come from another thread.
 */
final class ConsoleExchange implements HttpExchange.Receiver {

  private final RestServer server;
  private final Console console;
  private final HttpExchange exchange;
  private final QueryStringDecoder uri;
  private CompositeByteBuf body;
  private boolean done;

  private ConsoleExchange(RestServer server, Console console, HttpExchange exchange, QueryStringDecoder uri) {
    this.server = server;
    this.console = console;
    this.exchange = exchange;
    this.uri = uri;
  }

  /** Whether {@code rawPath} is the console's. */
  static boolean matches(String rawPath) {
    return rawPath.equals(Console.PATH) || rawPath.startsWith(Console.PATH + "/");
  }

  /** Starts serving a request {@link #matches} took. */
  static HttpExchange.Receiver serve(RestServer server, Console console, HttpExchange exchange,
      QueryStringDecoder uri) {
    long length = HttpUtil.getContentLength(exchange.request(), -1L);
    if (length > Console.MAX_BODY_BYTES) {
      server.respond(exchange, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, tooLarge(length), null);
      return HttpExchange.Receiver.DISCARD;
    }
    return new ConsoleExchange(server, console, exchange, uri);
  }

  private static Status tooLarge(long length) {
    return Status.RESOURCE_EXHAUSTED.withDescription("the console takes bodies of at most " + Console.MAX_BODY_BYTES
        + " bytes" + (length >= 0 ? ", not " + length : ""));
  }

  @Override
  public void content(ByteBuf chunk, boolean last) {
    if (done) {
      chunk.release();
      return;
    }
    if (chunk.isReadable()) {
      if (body == null) {
        body = exchange.alloc().compositeBuffer();
      }
      body.addComponent(true, chunk);
      if (body.readableBytes() > Console.MAX_BODY_BYTES) {
        done = true;
        body.release();
        body = null;
        server.respond(exchange, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, tooLarge(-1), null);
        return;
      }
    } else {
      chunk.release();
    }
    if (last) {
      done = true;
      byte[] bytes = new byte[body == null ? 0 : body.readableBytes()];
      if (body != null) {
        body.readBytes(bytes);
        body.release();
        body = null;
      }
      handle(bytes);
    }
  }

  @Override
  public void cancelled() {
    done = true;
    if (body != null) {
      ReferenceCountUtil.release(body);
      body = null;
    }
  }

  private void handle(byte[] bytes) {
    HttpRequest request = exchange.request();
    Metadata headers = RestHeaders.readMetadata(request.headers());
    String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (contentType != null) {
      headers = headers.with(Metadata.Key.of("content-type"), contentType);
    }
    String rawQuery = uri.rawQuery();
    ConsoleRequest consoleRequest = new ConsoleRequest(request.method().name(),
        uri.rawPath().substring(Console.PATH.length()), rawQuery.isEmpty() ? null : rawQuery, headers, bytes,
        exchange.remoteAddress());
    console.handle(consoleRequest).thenAccept(this::respond);
  }

  private void respond(ConsoleResponse answer) {
    ByteBuf content = exchange.alloc().buffer(answer.body().length).writeBytes(answer.body());
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(answer.status()), content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
    answer.headers().forEach(response.headers()::set);
    exchange.respond(response);
  }
}
