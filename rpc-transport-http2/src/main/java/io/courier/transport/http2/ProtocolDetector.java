package io.courier.transport.http2;

import io.courier.transport.netty.RefusalLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the protocols of a shared port apart by a connection's first bytes, installs the handlers of the one
 * it finds and removes itself (passing on what it read):
 *
 * <pre>
 * 0x16 ...                             TLS handshake record              -> TLS, then ALPN: h2, http/1.1, or none
 *                                                                           (then this detector again, inside TLS)
 * 0xC0 0xDE ...                        Courier TCP framing (magic)       -> TcpConnectionAcceptor
 * "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"   HTTP/2 connection preface         -> gRPC over HTTP/2
 * "GET " "POST " ... (an HTTP token)   HTTP/1.x request line             -> the Http1Handler hook, else 505
 * anything else                        -> closed, with a logged reason
 * </pre>
 *
 * <p>On a port with TLS ({@code RpcServer.Builder.tls}) only the TLS record is accepted outside TLS: cleartext of
 * every protocol is refused (unless {@code TlsConfig.allowPlaintext()}), and inside TLS another TLS record is. Refusals
 * are logged through a {@link RefusalLog} (once per peer and reason a minute, at most a line a second).
 *
 * A connection that sends nothing within 10 seconds is closed. Never {@code @Sharable}: one per connection.
 */
final class ProtocolDetector extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(ProtocolDetector.class);
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final long DETECT_TIMEOUT_SECONDS = 10;

  private static final RefusalLog REFUSALS = new RefusalLog(log);

  private final Http2ServerTransport server;
  private final boolean insideTls;
  private ScheduledFuture<?> timeout;

  /** @param insideTls whether TLS was negotiated on the connection already (no ALPN protocol was chosen) */
  ProtocolDetector(Http2ServerTransport server, boolean insideTls) {
    this.server = server;
    this.insideTls = insideTls;
  }

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
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int readable = in.readableBytes();
    if (readable < 1) {
      return;
    }
    int start = in.readerIndex();
    int b0 = in.getUnsignedByte(start);
    if (b0 == 0x16) {
      if (insideTls) {
        refuse(ctx, "a TLS handshake inside TLS");
      } else if (!server.servesTls()) {
        refuse(ctx, "a TLS handshake arrived but this port has no TLS (RpcServer.Builder.tls)");
      } else {
        switchTo(ctx, () -> server.installTls(ctx.channel()));
      }
      return;
    }
    if (!insideTls && server.servesTls() && !server.servesPlaintext()) {
      refuse(ctx, "cleartext on a TLS port (configure the client with tls(...); TlsConfig.allowPlaintext() serves"
          + " both)");
      return;
    }
    if (readable < 2) {
      return;
    }
    int b1 = in.getUnsignedByte(start + 1);
    if (b0 == 0xC0 && b1 == 0xDE) {
      if (!server.servesTcp()) {
        refuse(ctx, "Courier TCP framing is not served on this port (Http2Options.SHARE_PORT_WITH_TCP is false)");
        return;
      }
      switchTo(ctx, () -> server.installTcp(ctx.channel()));
      return;
    }
    int compare = Math.min(readable, PREFACE.length);
    boolean preface = true;
    for (int i = 0; i < compare; i++) {
      if (in.getByte(start + i) != PREFACE[i]) {
        preface = false;
        break;
      }
    }
    if (preface) {
      if (readable >= PREFACE.length) {
        switchTo(ctx, () -> server.installHttp2(ctx.channel()));
      }
      return;
    }
    if (looksLikeHttp1(in, start, readable)) {
      if (server.http1Handler() == null) {
        respondHttp1NotSupported(ctx);
        return;
      }
      switchTo(ctx, () -> server.installHttp1(ctx.channel()));
      return;
    }
    if (readable >= 8 || !couldBeHttp1(in, start, readable)) {
      refuse(ctx, "unrecognised protocol (first bytes 0x" + Integer.toHexString(b0) + " 0x"
          + Integer.toHexString(b1) + ")");
    }
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

  private void switchTo(ChannelHandlerContext ctx, Runnable install) {
    install.run();
    ctx.pipeline().remove(this); // passes what was read on to the installed handlers
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    REFUSALS.refused(ctx.channel(), reason);
    ByteBuf in = internalBuffer();
    in.skipBytes(in.readableBytes());
    ctx.close();
  }

  private void respondHttp1NotSupported(ChannelHandlerContext ctx) {
    String body = "This port speaks gRPC over HTTP/2 (prior knowledge, or TLS with ALPN h2) and Courier TCP.\n";
    String response = "HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    ByteBuf in = internalBuffer();
    in.skipBytes(in.readableBytes());
    ctx.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.US_ASCII))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
