package io.courier.transport.tcp;

import io.courier.transport.netty.FirstBytesDetector;
import io.courier.transport.netty.RefusalLog;
import io.courier.transport.netty.TlsContextSource;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first bytes on a TCP listener with TLS: a TLS handshake gets TLS; cleartext is refused at once, logged with a
 * hint, unless {@code TlsConfig.allowPlaintext()} serves Courier TCP in the clear too — as every Courier port does
 * ({@link FirstBytesDetector}). Netty's {@code SslHandler} alone would not refuse every cleartext frame at once: a
 * PING frame's bytes read as an SSLv2 record header announcing 16 KiB, and it waits for them.
 */
final class TcpTlsDetector extends FirstBytesDetector {

  static final String NAME = "tls-detector";
  private static final Logger log = LoggerFactory.getLogger(TcpTlsDetector.class);
  private static final RefusalLog REFUSALS = new RefusalLog(log);

  private final TlsContextSource tls;

  TcpTlsDetector(TlsContextSource tls) {
    super(false, REFUSALS);
    this.tls = tls;
  }

  @Override
  protected boolean servesTls() {
    return true;
  }

  @Override
  protected boolean servesPlaintext() {
    return tls.allowsPlaintext();
  }

  @Override
  protected void installTls(Channel channel) {
    channel.pipeline().addAfter(NAME, "tls", tls.current().newHandler(channel.alloc()));
  }

  @Override
  protected void detected(ChannelHandlerContext ctx, Protocol protocol, ByteBuf in) {
    if (protocol == Protocol.COURIER_TCP) {
      switchTo(ctx, () -> { }); // TlsConfig.allowPlaintext(): Courier TCP in the clear
    } else {
      refuse(ctx, protocol + " on a Courier TCP port");
    }
  }
}
