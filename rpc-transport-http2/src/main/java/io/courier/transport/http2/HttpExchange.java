package io.courier.transport.http2;

import io.courier.common.Status;
import io.courier.transport.ByteBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * One HTTP request that is not gRPC, handed to the {@link Http1Handler} hook when it arrives on an HTTP/2 stream
 * of an {@code http2} port (REST over h2 shares the port this way): the request's head, where its response goes,
 * and the event loop of its connection. The hook answers with a {@link Receiver}, which gets the request's body.
 *
 * <pre>{@code
 * public HttpExchange.Receiver http2Request(HttpExchange exchange, ServerCallHandler calls, TransportContext context) {
 *   exchange.respond(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
 *   return HttpExchange.Receiver.DISCARD;
 * }
 * }</pre>
 */
public interface HttpExchange {

  /**
   * The request's head as HTTP/1.1 would carry it: method, path with query, headers ({@code :authority} as
   * {@code host}). Its body goes to the {@link Receiver}.
   */
  HttpRequest request();

  /** The client's address. */
  SocketAddress remoteAddress();

  /** The connection the request came on. */
  Channel channel();

  /** The connection's event loop, on which the {@link Receiver} is called. */
  EventLoop eventLoop();

  /** The connection's buffer allocator. */
  ByteBufAllocator alloc();

  /**
   * Sends the whole response and ends the exchange; from any thread, at most once, taking ownership of
   * {@code response}. A body still arriving after the response is refused (HTTP/2: the stream is reset with
   * {@code NO_ERROR}, so the client stops sending). Connection-specific headers are dropped where the protocol
   * has none.
   */
  default void respond(FullHttpResponse response) {
    respond(response, null);
  }

  /**
   * {@link #respond(FullHttpResponse)}, then runs {@code written} (on the event loop) once the response has left —
   * written to the connection, or dropped because the exchange ended first; {@code null} for nothing.
   */
  void respond(FullHttpResponse response, Runnable written);

  /**
   * Holds this request's body unread until {@code budget} can reserve {@code bytes} for it — on HTTP/2 its
   * flow-control credit is kept, so the client stops sending it — then reserves them, runs {@code admitted} and hands
   * the body to the receiver as it would have. Requests wait in arrival order with the connection's gRPC messages,
   * and are refused ({@code refused}, with {@code RESOURCE_EXHAUSTED}) after the read timeout. Call it on the event
   * loop, before the receiver gets any of the body.
   *
   * @return whether the request waits; {@code false} (the default, and on HTTP/2 when too many requests wait on the
   *     connection) leaves the caller to refuse it
   */
  default boolean awaitBudget(ByteBudget budget, long bytes, Runnable admitted, Consumer<Status> refused) {
    return false;
  }

  /** Receives one request's body, on the event loop. */
  interface Receiver {

    /** Releases whatever arrives: for requests answered at once. */
    Receiver DISCARD = new Receiver() {
      @Override
      public void content(ByteBuf chunk, boolean last) {
        ReferenceCountUtil.release(chunk);
      }

      @Override
      public void cancelled() {}
    };

    /**
     * The next piece of the body, which the receiver now owns and must release; {@code last} when the request is
     * complete ({@code chunk} may then be empty).
     */
    void content(ByteBuf chunk, boolean last);

    /** The client went away (reset the stream, closed the connection) before the response was sent. */
    void cancelled();
  }
}
