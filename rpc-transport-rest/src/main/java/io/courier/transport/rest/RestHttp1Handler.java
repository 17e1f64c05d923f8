package io.courier.transport.rest;

import io.courier.common.Metadata;
import io.courier.common.Status;
import io.courier.transport.http2.HttpExchange;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves REST over one HTTP/1.1 connection (after an {@code HttpServerCodec}); h2 requests do not come here, but go
 * straight to {@link RestServer#serve} as exchanges of their connection's stream acceptor. Requests may be pipelined:
 * each gets its exchange at once, calls run concurrently, and responses are written in request order. Keep-alive is
 * HTTP/1.1's default ({@code Connection: close} and HTTP/1.0 without keep-alive end the connection after the
 * response).
 *
 * <p>A response sent before its request's body has arrived (a refusal: 404, 413, ...) ends the connection once
 * written if the rest of the body is over the size limit or of unknown length (chunked) — nothing more of it is kept:
 * the output is shut and what still arrives is dropped until the client closes, for 2 s at most ({@link
 * #lingeringClose}) — and otherwise lets the rest be read and dropped, keeping the connection. At most
 * {@code maxPipelined} requests wait for their responses; beyond that reading stops until responses go out. Invariant:
 * every exchange in {@link #queue} is answered or, when the connection closes first, cancelled; queued responses are
 * released if never written. Event loop only.
 */
final class RestHttp1Handler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RestHttp1Handler.class);

  private final RestServer server;
  private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private Exchange receiving; // the request whose body is arriving
  private boolean closing; // no more requests: the connection closes after the queued responses
  private boolean draining; // the server shuts down: close once the queue is empty

  private final RequestReadDeadline deadline;

  RestHttp1Handler(RestServer server, RequestReadDeadline deadline) {
    this.server = server;
    this.deadline = deadline;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      if (request.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        refuseMalformed(request.decoderResult().cause());
        return;
      }
      startRequest(request);
    }
    if (msg instanceof HttpContent content) {
      boolean last = content instanceof LastHttpContent;
      Exchange e = receiving;
      if (e == null) {
        content.release();
        return;
      }
      if (last) {
        receiving = null;
        e.requestComplete = true;
        deadline.requestDone();
      }
      e.receiver.content(content.content().retain(), last);
      content.release();
    } else if (!(msg instanceof HttpRequest)) {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startRequest(HttpRequest request) {
    Exchange e = new Exchange(request);
    // no Content-Length and not chunked: HTTP/1.1 says there is no body
    e.requestComplete = !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
    queue.add(e);
    receiving = e;
    boolean expectContinue = HttpUtil.is100ContinueExpected(request);
    if (expectContinue) {
      request.headers().remove(HttpHeaderNames.EXPECT);
    }
    e.receiver = server.serve(e);
    if (expectContinue && e.response == null && !e.answered) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    if (queue.size() >= server.maxPipelined && ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false); // read on once responses go out
      deadline.requestDone(); // the server is the one waiting now
    }
  }

  /** The codec could not parse a request (line or headers too long, bad syntax): answer, then close. */
  private void refuseMalformed(Throwable cause) {
    HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
        : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
        : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
        : HttpResponseStatus.BAD_REQUEST;
    log.debug("refusing a malformed request from {}: {}", ctx.channel().remoteAddress(), String.valueOf(cause));
    Exchange e = new Exchange(null);
    e.closeAfter = true;
    queue.add(e);
    receiving = null;
    e.respond(server.errorResponse(e, status, Status.INVALID_ARGUMENT.withDescription("malformed HTTP request: "
        + (cause == null ? "unknown" : cause.getMessage())), Metadata.EMPTY, null, null));
  }

  /** Writes the responses that are next in order; on the event loop. */
  private void writeReady() {
    boolean wrote = false;
    while (!queue.isEmpty() && queue.peek().response != null) {
      Exchange e = queue.poll();
      FullHttpResponse response = e.response;
      Runnable onWritten = e.written;
      e.response = null;
      e.written = null;
      boolean keepAlive = e.request != null && HttpUtil.isKeepAlive(e.request) && !e.closeAfter
          && !(draining && queue.isEmpty());
      if (e.request != null && e.request.protocolVersion() == HttpVersion.HTTP_1_0 && keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
      if (!keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ChannelFuture written = ctx.writeAndFlush(response);
        if (onWritten != null) {
          written.addListener(f -> onWritten.run());
        }
        closing = true;
        if (!e.requestComplete && ctx.channel() instanceof DuplexChannel duplex) {
          written.addListener(f -> lingeringClose(duplex));
        } else {
          written.addListener(ChannelFutureListener.CLOSE);
          ctx.channel().config().setAutoRead(false);
        }
        releaseQueued();
        return;
      }
      ChannelFuture written = ctx.write(response);
      if (onWritten != null) {
        written.addListener(f -> onWritten.run());
      }
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    if (!closing && queue.size() < server.maxPipelined && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /**
   * Closes a connection whose client may still be sending the body of a refused request: closing at once with unread
   * bytes would make the kernel reset the connection, and the client could lose the response before reading it. So:
   * shut the output (the client sees the response, then the end), read and drop whatever still arrives, and close
   * when the client does or after {@value #LINGER_MILLIS} ms.
   */
  private void lingeringClose(DuplexChannel channel) {
    if (!channel.isActive()) {
      return;
    }
    channel.shutdownOutput();
    channel.config().setAutoRead(true);
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static final long LINGER_MILLIS = 2000;

  /** The server is shutting down: no new requests; the connection closes once the queued ones are answered. */
  void drain() {
    draining = true;
    if (queue.isEmpty()) {
      closing = true;
      ctx.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (queue.isEmpty()) {
        log.debug("closing idle connection from {}", context.channel().remoteAddress());
        context.close();
      }
      return;
    }
    super.userEventTriggered(context, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    closing = true;
    Exchange[] left = queue.toArray(new Exchange[0]);
    queue.clear();
    receiving = null;
    for (Exchange e : left) {
      if (e.response != null) {
        ReferenceCountUtil.release(e.response);
        e.response = null;
        runWritten(e.written);
        e.written = null;
      } else if (!e.answered && e.receiver != null) {
        e.receiver.cancelled();
      }
    }
    super.channelInactive(context);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    log.debug("closing REST connection from {}: {}", context.channel().remoteAddress(), cause.toString());
    context.close();
  }

  private static void runWritten(Runnable written) {
    if (written != null) {
      written.run();
    }
  }

  private void releaseQueued() {
    for (Exchange e : queue) {
      if (e.response != null) {
        ReferenceCountUtil.release(e.response);
        e.response = null;
        runWritten(e.written);
        e.written = null;
      }
    }
  }

  /** One request of this connection and, once answered, its response waiting for its turn. */
  private final class Exchange implements HttpExchange {
    final HttpRequest request; // null for a request the codec could not parse
    HttpExchange.Receiver receiver = HttpExchange.Receiver.DISCARD; // event loop only
    FullHttpResponse response; // event loop only: answered, not yet written
    Runnable written; // event loop only: runs once the response has left (or was dropped)
    boolean answered; // event loop only: a response was handed over
    boolean requestComplete; // event loop only
    boolean closeAfter; // event loop only

    Exchange(HttpRequest request) {
      this.request = request;
      this.requestComplete = request == null;
    }

    @Override
    public HttpRequest request() {
      return request;
    }

    @Override
    public SocketAddress remoteAddress() {
      return ctx.channel().remoteAddress();
    }

    @Override
    public Channel channel() {
      return ctx.channel();
    }

    @Override
    public EventLoop eventLoop() {
      return ctx.channel().eventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
      return ctx.alloc();
    }

    @Override
    public void respond(FullHttpResponse r, Runnable onWritten) {
      EventLoop loop = eventLoop();
      if (loop.inEventLoop()) {
        answer(r, onWritten);
        return;
      }
      try {
        loop.execute(() -> answer(r, onWritten));
      } catch (RuntimeException rejected) { // the event loop shut down: the connection is gone
        ReferenceCountUtil.release(r);
        runWritten(onWritten);
      }
    }

    private void answer(FullHttpResponse r, Runnable onWritten) {
      if (answered || !queue.contains(this)) { // answered twice, or the connection closed meanwhile
        ReferenceCountUtil.release(r);
        runWritten(onWritten);
        return;
      }
      answered = true;
      response = r;
      written = onWritten;
      if (!requestComplete) {
        long length = HttpUtil.getContentLength(request, -1L);
        if (length < 0 || length > server.maxBodySize) {
          closeAfter = true; // the rest of the body is not read: the connection cannot carry another request
          closing = true;
          ctx.channel().config().setAutoRead(false);
        } else {
          receiver = HttpExchange.Receiver.DISCARD; // read the rest and drop it
        }
      }
      writeReady();
    }
  }
}
