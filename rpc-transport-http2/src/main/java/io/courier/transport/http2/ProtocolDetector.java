package io.courier.transport.http2;

import io.courier.transport.netty.FirstBytesDetector;
import io.courier.transport.netty.RefusalLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code http2} port's first handler ({@link FirstBytesDetector} tells the protocol): TLS, then ALPN {@code h2},
 * {@code http/1.1} or none (then this detector again, inside TLS); Courier TCP framing to
 * {@code TcpConnectionAcceptor} when the port is shared with TCP; the HTTP/2 preface to gRPC over HTTP/2; an
 * HTTP/1.x request to the {@link Http1Handler} hook, else 505; anything else is closed, with a logged reason.
 */
final class ProtocolDetector extends FirstBytesDetector {

  private static final Logger log = LoggerFactory.getLogger(ProtocolDetector.class);
  private static final RefusalLog REFUSALS = new RefusalLog(log);

  private final Http2ServerTransport server;

  /** @param insideTls whether TLS was negotiated on the connection already (no ALPN protocol was chosen) */
  ProtocolDetector(Http2ServerTransport server, boolean insideTls) {
    super(insideTls, REFUSALS);
    this.server = server;
  }

  @Override
  protected boolean servesTls() {
    return server.servesTls();
  }

  @Override
  protected boolean servesPlaintext() {
    return server.servesPlaintext();
  }

  @Override
  protected void installTls(Channel channel) {
    server.installTls(channel);
  }

  @Override
  protected void detected(ChannelHandlerContext ctx, Protocol protocol, ByteBuf in) {
    switch (protocol) {
      case COURIER_TCP -> {
        if (server.servesTcp()) {
          switchTo(ctx, () -> server.installTcp(ctx.channel()));
        } else {
          refuse(ctx, "Courier TCP framing is not served on this port (Http2Options.SHARE_PORT_WITH_TCP is false)");
        }
      }
      case HTTP2 -> switchTo(ctx, () -> server.installHttp2(ctx.channel()));
      case HTTP1 -> {
        if (server.http1Handler() != null) {
          switchTo(ctx, () -> server.installHttp1(ctx.channel()));
        } else {
          respondHttp1NotSupported(ctx);
        }
      }
      default -> refuse(ctx, "unrecognised protocol (first bytes " + firstBytes(in) + ")");
    }
  }

  private void respondHttp1NotSupported(ChannelHandlerContext ctx) {
    String body = "This port speaks gRPC over HTTP/2 (prior knowledge, or TLS with ALPN h2) and Courier TCP.\n";
    String response = "HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    discardRead();
    ctx.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.US_ASCII))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
