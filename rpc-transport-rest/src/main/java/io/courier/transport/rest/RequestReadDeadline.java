package io.courier.transport.rest;

import io.courier.transport.netty.ReadDeadline;
import io.courier.transport.netty.RefusalLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in front of the HTTP/1.1 codec and sees the raw bytes: refuses obsolete line folding ({@link
 * HeaderFoldingScanner}: {@code 400}, and the connection closes), and holds each request to a {@link ReadDeadline}: the
 * clock starts with the first bytes that arrive while no request is open, and stops when the {@link RestHttp1Handler}
 * has a request whole (its {@code LastHttpContent}) or stops reading to let responses catch up. A client that trickles
 * a request line, headers or body a byte at a time is closed once {@link RestOptions#READ_TIMEOUT} has passed since the
 * request began; a connection that sends nothing is the idle timeout's business. Never {@code @Sharable}; event loop
 * only.
 */
final class RequestReadDeadline extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RequestReadDeadline.class);
  private static final RefusalLog SLOW = new RefusalLog(log);

  private static final String FOLDED = "obsolete line folding (a header line that begins with a space or a tab) is"
      + " not accepted: send each header on one line";

  private final long timeoutNanos;
  private final HeaderFoldingScanner folding = new HeaderFoldingScanner();
  private ReadDeadline deadline;
  private boolean completed;
  private boolean refused;

  RequestReadDeadline(long timeoutMillis) {
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline = new ReadDeadline(ctx, timeoutNanos, () -> {
      SLOW.refused(ctx.channel(), "an HTTP request did not arrive whole within "
          + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (RestOptions.READ_TIMEOUT)");
      ctx.close();
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf bytes && folding.folds(bytes)) {
      refused = true;
      ReferenceCountUtil.release(msg);
      deadline.cancel();
      String body = "{\"code\":\"INVALID_ARGUMENT\",\"message\":\"" + FOLDED + "\"}";
      ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body, StandardCharsets.US_ASCII))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    completed = false;
    deadline.arm();
    ctx.fireChannelRead(msg);
    if (completed) {
      // The rest of these bytes, if any, begin the next request: its clock starts with the next bytes that arrive
      // (and a request that gets none is closed by the idle timeout).
      deadline.disarm();
    }
  }

  /** A request is whole, or reading pauses while responses catch up: the clock stops. */
  void requestDone() {
    completed = true;
    deadline.disarm();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    deadline.cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel();
    }
  }
}
