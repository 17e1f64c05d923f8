package io.courier.transport.http2;

import io.courier.transport.netty.ReadDeadline;
import io.courier.transport.netty.RefusalLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a server's inbound HTTP/2 bytes for frame boundaries, without changing them, and holds every frame — and
 * every header block (HEADERS and its CONTINUATION frames) — to a {@link ReadDeadline}: one that has begun must be
 * whole within the timeout, however slowly its bytes trickle in, or the connection is closed. Netty's codec bounds
 * how much a frame or a header block may hold; this bounds how long. Sits in front of the connection handler; reads
 * the 24-byte client preface, then 9-byte frame headers ({@code length:24 type:8 flags:8 stream:32}) and skips
 * payloads. Never {@code @Sharable}: one per connection, event loop only.
 */
final class Http2ReadDeadline extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Http2ReadDeadline.class);
  private static final RefusalLog SLOW = new RefusalLog(log);
  private static final int FRAME_HEADER = 9;
  private static final byte HEADERS = 0x1;
  private static final byte PUSH_PROMISE = 0x5;
  private static final byte CONTINUATION = 0x9;
  private static final int END_HEADERS = 0x4;

  private final long timeoutNanos;
  private final String setting;
  private ReadDeadline deadline;
  private int prefaceLeft; // bytes of the client preface still to pass
  private final byte[] header = new byte[FRAME_HEADER];
  private int headerFilled;
  private long payloadLeft;
  private boolean inHeaderBlock;

  /**
   * @param expectPreface whether the client's 24-byte preface is still to come through this handler
   * @param setting the option that sets the timeout, for the log line
   */
  Http2ReadDeadline(long timeoutMillis, boolean expectPreface, String setting) {
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.prefaceLeft = expectPreface ? 24 : 0;
    this.setting = setting;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline = new ReadDeadline(ctx, timeoutNanos, () -> {
      SLOW.refused(ctx.channel(), "an HTTP/2 frame or header block did not arrive whole within "
          + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (" + setting + ")");
      ctx.close();
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf bytes && timeoutNanos > 0) {
      scan(bytes);
      if (prefaceLeft > 0 || headerFilled > 0 || payloadLeft > 0 || inHeaderBlock) {
        deadline.arm();
      } else {
        deadline.disarm();
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Moves the frame boundary over {@code bytes} (read without consuming them). */
  private void scan(ByteBuf bytes) {
    int at = bytes.readerIndex();
    int end = bytes.writerIndex();
    while (at < end) {
      if (prefaceLeft > 0) {
        int n = Math.min(prefaceLeft, end - at);
        prefaceLeft -= n;
        at += n;
        if (prefaceLeft == 0) {
          deadline.disarm(); // the preface is a unit of its own
        }
        continue;
      }
      if (payloadLeft > 0) {
        int n = (int) Math.min(payloadLeft, end - at);
        payloadLeft -= n;
        at += n;
        if (payloadLeft == 0 && !inHeaderBlock) {
          deadline.disarm();
        }
        continue;
      }
      header[headerFilled++] = bytes.getByte(at++);
      if (headerFilled == FRAME_HEADER) {
        headerFilled = 0;
        payloadLeft = (header[0] & 0xffL) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
        byte type = header[3];
        boolean endHeaders = (header[4] & END_HEADERS) != 0;
        if (type == HEADERS || type == PUSH_PROMISE || type == CONTINUATION) {
          inHeaderBlock = !endHeaders;
        }
        if (payloadLeft == 0 && !inHeaderBlock) {
          deadline.disarm();
        }
      }
    }
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
