package io.courier.transport.rest;

import io.courier.common.MethodDescriptor;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerTransport;
import io.courier.transport.TlsConfig;
import io.courier.transport.TransportContext;
import io.courier.transport.http2.Http2Exchanges;
import io.courier.transport.netty.ConnectionLimit;
import io.courier.transport.netty.EventLoops;
import io.courier.transport.netty.FirstBytesDetector;
import io.courier.transport.netty.RefusalLog;
import io.courier.transport.netty.TlsContextSource;
import io.courier.transport.netty.TlsFailures;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.Timeout;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server half of the {@code rest} transport: a port that serves REST/JSON only, over HTTP/1.1 (keep-alive,
 * pipelining) and h2 with prior knowledge, told apart by the first bytes; with a {@link TlsConfig}, over TLS only
 * (ALPN {@code h2} or {@code http/1.1}; cleartext is refused unless {@code TlsConfig.allowPlaintext()}). An h2
 * connection is served by one connection-level handler ({@link Http2Exchanges}) that hands each stream to the same
 * {@link RestServer} as HTTP/1.1 requests, as an exchange.
 *
 * <p>Graceful shutdown: stop accepting; HTTP/1.1 connections close once their queued requests are answered (the last
 * response says {@code Connection: close}), h2 connections go away (GOAWAY) and close once their streams end; what is
 * left when the grace period ends is closed.
 */
final class RestServerTransport implements ServerTransport {

  private static final Logger log = LoggerFactory.getLogger(RestServerTransport.class);
  private static final RefusalLog REFUSALS = new RefusalLog(log);
  private static final long BIND_TIMEOUT_SECONDS = 10;

  private final TransportContext context;
  private final EventLoops loops;
  private final ChannelGroup connections = new DefaultChannelGroup("courier-rest", GlobalEventExecutor.INSTANCE);
  private final ConnectionLimit limit;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile RestServer server;
  private volatile TlsContextSource tls;
  private volatile Channel serverChannel;
  private volatile InetSocketAddress localAddress;

  RestServerTransport(TransportContext context) {
    this.context = context;
    this.loops = new EventLoops(context.options().get(RestOptions.NATIVE_TRANSPORT),
        context.options().get(RestOptions.IO_THREADS), "courier-rest-server");
    this.limit = new ConnectionLimit(context.options().get(RestOptions.MAX_CONNECTIONS),
        "RestOptions.MAX_CONNECTIONS");
  }

  @Override
  public InetSocketAddress start(InetSocketAddress address, ServerCallHandler handler) {
    this.server = RestServer.create(handler, context); // routes checked before anything binds
    TlsConfig tls = context.options().get(TlsConfig.OPTION);
    if (tls != null) {
      this.tls = TlsContextSource.forServer(tls, Http2SecurityUtil.CIPHERS, ApplicationProtocolNames.HTTP_2,
          ApplicationProtocolNames.HTTP_1_1);
    }
    ServerBootstrap bootstrap = new ServerBootstrap().group(loops.group()).channel(loops.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (shuttingDown.get()) {
              ch.close();
              return;
            }
            if (!limit.admit(ch, () -> { })) {
              return;
            }
            connections.add(ch);
            ch.pipeline().addLast("detect", new Detector(false));
          }
        });
    ChannelFuture bind = bootstrap.bind(address.getHostString(), address.getPort());
    if (!bind.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !bind.isSuccess()) {
      loops.group().shutdownGracefully(0, 1, TimeUnit.SECONDS);
      String why = bind.cause() != null ? bind.cause().getMessage()
          : "not bound within " + BIND_TIMEOUT_SECONDS + " s";
      BindException e = new BindException("cannot listen for rest on " + address.getHostString() + ":"
          + address.getPort() + ": " + why + " (choose a free port, or 0 for any)");
      e.initCause(bind.cause());
      throw new UncheckedIOException(e);
    }
    serverChannel = bind.channel();
    localAddress = (InetSocketAddress) serverChannel.localAddress();
    return localAddress;
  }

  /**
   * HTTP/1.1: the codec and the REST handler, closed after twice the idle timeout without a request in flight, and
   * when a request does not arrive whole within the read timeout.
   */
  static void installHttp1(Channel ch, RestServer server) {
    RequestReadDeadline deadline = new RequestReadDeadline(server.readTimeoutMillis);
    ch.pipeline()
        .addLast("rest-idle", new IdleStateHandler(0, 0, server.idleMillis, TimeUnit.MILLISECONDS))
        .addLast("rest-read-deadline", deadline)
        .addLast("http1", new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(8192)
            .setMaxHeaderSize(16384).setMaxChunkSize(64 * 1024)))
        .addLast("rest", new RestHttp1Handler(server, deadline));
  }

  /**
   * h2: one connection-level handler serves every stream as an exchange of the REST server (no stream channels); like
   * HTTP/1.1, the connection goes away after twice the idle timeout without a stream open.
   */
  private void installHttp2(Channel ch) {
    RestServer s = server;
    ch.pipeline().addLast("rest-idle", new IdleStateHandler(0, 0, s.idleMillis, TimeUnit.MILLISECONDS))
        .addLast("rest-idle-close", new ChannelInboundHandlerAdapter() {
          @Override
          public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (!(evt instanceof IdleStateEvent)) {
              super.userEventTriggered(ctx, evt);
            } else if (Http2Exchanges.hasNoStreams(ctx.channel())) {
              log.debug("closing idle h2 connection from {}", ctx.channel().remoteAddress());
              Http2Exchanges.goAway(ctx.channel(), "idle");
            }
          }
        });
    ch.pipeline().addLast("read-deadline", Http2Exchanges.readDeadline(s.readTimeoutMillis,
        "RestOptions.READ_TIMEOUT")).addLast("h2", Http2Exchanges.server(s::serve, RestCodec.ACCEPTED,
        16384, 1000, H2_WINDOW, s.readTimeoutMillis));
  }

  /**
   * The h2 flow-control window of each stream: 4 MiB, the default body limit, so that a body never waits for a
   * window update (HTTP/2 starts at 64 KiB; with 1 MiB, 1 MiB bodies took three times as long as over HTTP/1.1).
   */
  static final int H2_WINDOW = 4 * 1024 * 1024;

  /** TLS, then by ALPN {@code h2} or {@code http/1.1}; without ALPN the first bytes inside TLS decide. */
  private void installTls(Channel ch) {
    ch.pipeline().addLast("tls", tls.current().newHandler(ch.alloc()))
        .addLast("alpn", new ApplicationProtocolNegotiationHandler("") {
          @Override
          protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
              installHttp2(ctx.channel());
            } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
              installHttp1(ctx.channel(), server);
            } else {
              ctx.pipeline().addLast("detect", new Detector(true));
            }
          }

          @Override
          protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            REFUSALS.refused(ctx.channel(), "TLS failed: " + TlsFailures.describe(cause));
            ctx.close();
          }
        });
  }

  /**
   * Tells h2 with prior knowledge (its connection preface) from HTTP/1.1 (anything else: the codec answers what it
   * cannot parse with 400); TLS and cleartext on a TLS port as every Courier port does ({@link FirstBytesDetector}).
   */
  private final class Detector extends FirstBytesDetector {

    Detector(boolean insideTls) {
      super(insideTls, REFUSALS);
    }

    @Override
    protected boolean servesTls() {
      return tls != null;
    }

    @Override
    protected boolean servesPlaintext() {
      return tls != null && tls.allowsPlaintext();
    }

    @Override
    protected void installTls(Channel channel) {
      RestServerTransport.this.installTls(channel);
    }

    @Override
    protected void detected(ChannelHandlerContext ctx, Protocol protocol, ByteBuf in) {
      if (protocol == Protocol.HTTP2) {
        switchTo(ctx, () -> installHttp2(ctx.channel()));
      } else {
        switchTo(ctx, () -> installHttp1(ctx.channel(), server));
      }
    }
  }

  @Override
  public Function<MethodDescriptor, String> restRoutes() {
    return RestMapping::route;
  }

  @Override
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  @Override
  public CompletableFuture<Void> shutdown(Duration gracePeriod) {
    if (!shuttingDown.compareAndSet(false, true)) {
      return terminated;
    }
    Channel s = serverChannel;
    if (s != null) {
      s.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    CompletableFuture<Void> drained = new CompletableFuture<>();
    connections.newCloseFuture().addListener(f -> drained.complete(null));
    for (Channel ch : connections) {
      ch.eventLoop().execute(() -> drain(ch));
    }
    Timeout graceTimer = context.timer().newTimeout(t -> {
      if (!drained.isDone()) {
        log.warn("grace period of {} ms over with REST requests still in flight; closing their connections",
            gracePeriod.toMillis());
        closeConnectionsAndLoops();
      }
    }, Math.max(1, gracePeriod.toMillis()), TimeUnit.MILLISECONDS);
    drained.whenComplete((v, e) -> {
      graceTimer.cancel();
      closeConnectionsAndLoops();
    });
    return terminated;
  }

  /** On the connection's event loop: HTTP/1.1 finishes its queue, h2 goes away, undecided connections close. */
  private static void drain(Channel ch) {
    RestHttp1Handler http1 = ch.pipeline().get(RestHttp1Handler.class);
    if (http1 != null) {
      http1.drain();
      return;
    }
    if (!Http2Exchanges.goAway(ch, "server shutting down")) { // h2: closes once its streams are done
      ch.close(); // not yet told apart
    }
  }

  @Override
  public void close() {
    shuttingDown.set(true);
    closeConnectionsAndLoops();
  }

  private void closeConnectionsAndLoops() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    Channel s = serverChannel;
    if (s != null) {
      s.close();
    }
    connections.close().addListener(f -> loops.group().shutdownGracefully(0, 2, TimeUnit.SECONDS)
        .addListener(g -> terminated.complete(null)));
  }
}
