package io.courier.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a port that serves more than one protocol: it reads a connection's first bytes, tells the
 * protocol, lets the server install that protocol's handlers and removes itself, passing on what it read.
 *
 * <pre>
 * first bytes                          protocol         done here
 * 0x16 ...                             TLS record       TLS on a TLS port (then ALPN, or this detector again
 *                                                       inside TLS); refused inside TLS and on a port without TLS
 * 0xC0 0xDE ...                        COURIER_TCP      (on a TLS port, every cleartext protocol below is refused
 * "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"   HTTP2             unless TlsConfig.allowPlaintext(), before it is told)
 * "GET " "POST " ... (an HTTP token)   HTTP1
 * anything else                        UNKNOWN
 * </pre>
 *
 * <p>What a server does with each cleartext protocol is its {@link #detected}: install it ({@link #switchTo}),
 * answer and close, or {@link #refuse} it. Refusals go to a {@link RefusalLog} (once per peer and reason a minute). A
 * connection that sends nothing recognisable within 10 seconds is closed. Never {@code @Sharable}: one per
 * connection.
 */
public abstract class FirstBytesDetector extends ByteToMessageDecoder {

  /** What a connection's first bytes say it speaks. */
  public enum Protocol { TLS, COURIER_TCP, HTTP2, HTTP1, UNKNOWN }

  private static final Logger log = LoggerFactory.getLogger(FirstBytesDetector.class);
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final long DETECT_TIMEOUT_SECONDS = 10;

  private final boolean insideTls;
  private final RefusalLog refusals;
  private ScheduledFuture<?> timeout;

  /**
   * @param insideTls whether TLS was negotiated on the connection already (and ALPN chose no protocol)
   * @param refusals where refused connections are logged
   */
  protected FirstBytesDetector(boolean insideTls, RefusalLog refusals) {
    this.insideTls = insideTls;
    this.refusals = refusals;
  }

  /**
   * The protocol that {@code in}'s readable bytes start with, or {@code null} if more bytes are needed to tell.
   * Does not move the reader index.
   */
  public static Protocol classify(ByteBuf in) {
    int readable = in.readableBytes();
    if (readable < 1) {
      return null;
    }
    int start = in.readerIndex();
    int b0 = in.getUnsignedByte(start);
    if (b0 == 0x16) {
      return Protocol.TLS;
    }
    if (readable < 2) {
      return null;
    }
    if (b0 == 0xC0 && in.getUnsignedByte(start + 1) == 0xDE) {
      return Protocol.COURIER_TCP;
    }
    int compare = Math.min(readable, PREFACE.length);
    boolean preface = true;
    for (int i = 0; i < compare && preface; i++) {
      preface = in.getByte(start + i) == PREFACE[i];
    }
    if (preface) {
      return readable >= PREFACE.length ? Protocol.HTTP2 : null;
    }
    if (looksLikeHttp1(in, start, readable)) {
      return Protocol.HTTP1;
    }
    return readable >= 8 || !couldBeHttp1(in, start, readable) ? Protocol.UNKNOWN : null;
  }

  /** Whether this port has TLS configured. */
  protected abstract boolean servesTls();

  /** Whether this TLS port serves cleartext too ({@code TlsConfig.allowPlaintext()}). */
  protected abstract boolean servesPlaintext();

  /** Adds TLS (and what follows it) to the pipeline; called on a TLS record when the port has TLS. */
  protected abstract void installTls(Channel channel);

  /**
   * A cleartext protocol was told: {@link #switchTo} it, answer and close, or {@link #refuse} it.
   *
   * @param in the bytes read so far, still unread
   */
  protected abstract void detected(ChannelHandlerContext ctx, Protocol protocol, ByteBuf in);

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> {
      log.debug("closing connection from {}: no protocol recognised within {} s", ctx.channel().remoteAddress(),
          DETECT_TIMEOUT_SECONDS);
      ctx.close();
    }, DETECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  @Override
  protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (!in.isReadable()) {
      return;
    }
    if (in.getUnsignedByte(in.readerIndex()) == 0x16) {
      if (insideTls) {
        refuse(ctx, "a TLS handshake inside TLS");
      } else if (!servesTls()) {
        refuse(ctx, "a TLS handshake arrived but this port has no TLS (RpcServer.Builder.tls)");
      } else {
        switchTo(ctx, () -> installTls(ctx.channel()));
      }
      return;
    }
    if (!insideTls && servesTls() && !servesPlaintext()) {
      refuse(ctx, "cleartext on a TLS port (configure the client with tls(...); TlsConfig.allowPlaintext() serves"
          + " both)");
      return;
    }
    Protocol protocol = classify(in);
    if (protocol != null) {
      detected(ctx, protocol, in);
    }
  }

  /** Runs {@code install}, then removes this detector, which passes what it read on to the installed handlers. */
  protected final void switchTo(ChannelHandlerContext ctx, Runnable install) {
    install.run();
    ctx.pipeline().remove(this);
  }

  /** Logs why, drops what was read and closes the connection. */
  protected final void refuse(ChannelHandlerContext ctx, String reason) {
    refusals.refused(ctx.channel(), reason);
    discardRead();
    ctx.close();
  }

  /** Drops what was read, before answering and closing. */
  protected final void discardRead() {
    ByteBuf in = internalBuffer();
    in.skipBytes(in.readableBytes());
  }

  /** The first two bytes in hex, for a refusal's reason: {@code "0x47 0x45"}. */
  protected static String firstBytes(ByteBuf in) {
    int start = in.readerIndex();
    return "0x" + Integer.toHexString(in.getUnsignedByte(start)) + " 0x"
        + Integer.toHexString(in.getUnsignedByte(start + 1));
  }

  /** An HTTP token of upper-case letters and a space, as in {@code GET /} or {@code POST /x}. */
  private static boolean looksLikeHttp1(ByteBuf in, int start, int readable) {
    for (int i = 0; i < Math.min(readable, 8); i++) {
      byte c = in.getByte(start + i);
      if (c == ' ') {
        return i >= 3;
      }
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return false;
  }

  private static boolean couldBeHttp1(ByteBuf in, int start, int readable) {
    for (int i = 0; i < readable; i++) {
      byte c = in.getByte(start + i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }
}
