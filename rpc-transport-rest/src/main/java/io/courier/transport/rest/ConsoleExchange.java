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
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One request under {@link Console#PATH} on a listener that serves REST: a caller the console refuses is answered on
 * the head ({@link Console#refusal}); otherwise its body (at most {@link Console#MAX_BODY_BYTES}, refused unread by its
 * {@code content-length} or as soon as it grows past that) is gathered, handed to the server's {@link Console}, and
 * the console's answer written back. Runs on the connection's event loop; the answer may come from another thread.
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
    ConsoleExchange consoleExchange = new ConsoleExchange(server, console, exchange, uri);
    // a caller the console refuses is answered on the request's head, before a byte of its body is kept
    ConsoleResponse refusal = console.refusal(consoleExchange.request(new byte[0]));
    if (refusal != null) {
      consoleExchange.respond(refusal);
      return HttpExchange.Receiver.DISCARD;
    }
    long length = HttpUtil.getContentLength(exchange.request(), -1L);
    if (length > Console.MAX_BODY_BYTES) {
      server.respond(exchange, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, tooLarge(length), null);
      return HttpExchange.Receiver.DISCARD;
    }
    return consoleExchange;
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
    console.handle(request(bytes)).thenAccept(this::respond);
  }

  /** The console's view of this request, with {@code body}. */
  private ConsoleRequest request(byte[] body) {
    HttpRequest request = exchange.request();
    Metadata headers = RestHeaders.readMetadata(request.headers());
    String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (contentType != null) {
      headers = headers.with(Metadata.Key.of("content-type"), contentType);
    }
    String rawQuery = uri.rawQuery();
    return new ConsoleRequest(request.method().name(), uri.rawPath().substring(Console.PATH.length()),
        rawQuery.isEmpty() ? null : rawQuery, headers, body, remoteAddress(request, headers));
  }

  /**
   * The caller's address, unresolved (never loopback) when the request has a header a proxy adds that the metadata
   * left out (a value metadata cannot hold): the console could not see that a proxy relayed it.
   */
  private SocketAddress remoteAddress(HttpRequest request, Metadata headers) {
    SocketAddress remote = exchange.remoteAddress();
    for (String header : Console.RELAYED_HEADERS) {
      if (request.headers().contains(header) && !headers.containsKey(Metadata.Key.of(header))
          && remote instanceof InetSocketAddress inet) {
        return InetSocketAddress.createUnresolved(inet.getHostString(), inet.getPort());
      }
    }
    return remote;
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
