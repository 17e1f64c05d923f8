package io.courier.transport.rest;

import io.courier.transport.netty.ReadDeadline;
import io.courier.transport.netty.RefusalLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds each HTTP/1.1 request to a {@link ReadDeadline}, in front of the codec: the clock starts with the first bytes
 * that arrive while no request is open, and stops when the {@link RestHttp1Handler} has a request whole (its
 * {@code LastHttpContent}) or stops reading to let responses catch up. A client that trickles a request line,
 * headers or body a byte at a time is closed once {@link RestOptions#READ_TIMEOUT} has passed since the request
 * began; a connection that sends nothing is the idle timeout's business. Never {@code @Sharable}; event loop only.
 */
final class RequestReadDeadline extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RequestReadDeadline.class);
  private static final RefusalLog SLOW = new RefusalLog(log);

  private final long timeoutNanos;
  private ReadDeadline deadline;
  private boolean completed;

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
