package io.courier.transport.rest;

import io.courier.common.Endpoint;
import io.courier.common.Status;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of one HTTP/1.1 connection (after an aggregator): carries one call at a time, completes it with
 * the response, then hands the connection back ({@code released}) unless the server asked to close it. A channel that
 * closes with a call in flight fails the call {@code UNAVAILABLE} (with a
 * {@link io.courier.transport.ConnectionLostException} if the request went out). Event loop only.
 */
final class RestClientHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RestClientHandler.class);

  private final Endpoint endpoint;
  private final Consumer<RestClientHandler> released;
  private final Consumer<RestClientCall> redispatch;
  private ChannelHandlerContext ctx;
  private RestClientCall call;

  /**
   * @param released called with this handler when its channel can carry another call
   * @param redispatch called with a call whose request was never written because this channel closed before
   *     {@link #start} ran (a keep-alive connection the server closed while it sat idle): nothing was sent, so
   *     another connection may carry it; {@code null} fails such a call {@code UNAVAILABLE} instead
   */
  RestClientHandler(Endpoint endpoint, Consumer<RestClientHandler> released,
      Consumer<RestClientCall> redispatch) {
    this.endpoint = endpoint;
    this.released = released;
    this.redispatch = redispatch;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
  }

  Channel channel() {
    return ctx.channel();
  }

  /** Sends {@code c} on this channel; on its event loop. */
  void start(RestClientCall c) {
    if (!ctx.channel().isActive() && redispatch != null && !c.isFinished() && c.mayRedispatch()) {
      redispatch.accept(c);
      return;
    }
    FullHttpRequest request = c.takeRequest(ctx.channel()::close);
    if (request == null) { // the call ended meanwhile
      if (ctx.channel().isActive()) {
        released.accept(this);
      }
      return;
    }
    if (!ctx.channel().isActive()) {
      request.release();
      c.connectionLost("the connection to " + endpoint + " closed");
      return;
    }
    this.call = c;
    ctx.writeAndFlush(request).addListener(f -> {
      if (f.isSuccess()) {
        c.written();
      } else {
        c.connectionLost("writing to " + endpoint + " failed (" + f.cause() + ")");
        ctx.close();
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (!(msg instanceof FullHttpResponse response)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    RestClientCall c = call;
    call = null;
    if (response.decoderResult().isFailure()) {
      // cut off or garbled (a bad chunk size, headers over the limit): what came is no answer, and what follows on
      // this connection cannot be told from the rest of it
      response.release();
      if (c != null) {
        fail(c, response.decoderResult().cause(), "the response from " + endpoint + " is malformed");
      }
      context.close();
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(response);
    try {
      if (c != null) {
        // Reuse the connection only if this response ended the call — then no cancellation can close it any
        // more — or if the call was one-way (finished once written, never cancelled after). A call that ended
        // otherwise was cancelled (its deadline, its caller) and is closing this connection, perhaps from another
        // thread this very moment: never hand it out again, or the next call would find it closed under it.
        boolean ended = c.onResponse(response);
        if (!ended && (c.isCancelled() || !c.method().isOneWay())) {
          keepAlive = false;
        }
      } else {
        log.debug("dropping a response from {} that no call waits for: {}", endpoint, response.status());
        keepAlive = false;
      }
    } finally {
      response.release();
    }
    if (!keepAlive) {
      context.close(); // the server's Connection: close
      return;
    }
    released.accept(this);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (call == null) {
        context.close();
      }
      return;
    }
    super.userEventTriggered(context, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    RestClientCall c = call;
    call = null;
    if (c != null) {
      c.connectionLost("the connection to " + endpoint + " closed");
    }
    super.channelInactive(context);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    RestClientCall c = call;
    call = null;
    if (c != null) {
      fail(c, cause, "the connection to " + endpoint + " failed");
    } else {
      log.debug("closing the connection to {}: {}", endpoint, cause.toString());
    }
    context.close();
  }

  private void fail(RestClientCall c, Throwable cause, String what) {
    if (cause instanceof TooLongFrameException) {
      c.fail(Status.RESOURCE_EXHAUSTED.withDescription("the response of " + c.method().fullName() + " from "
          + endpoint + " is over the client's limit (RestOptions.MAX_BODY_SIZE; 8 KiB for its headers): "
          + cause.getMessage()));
    } else {
      c.connectionLost(what + " (" + cause + ")");
    }
  }
}
