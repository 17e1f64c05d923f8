package io.courier.transport.http2;

import io.courier.common.MethodDescriptor;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerTransport;
import io.courier.transport.TransportContext;
import io.courier.transport.netty.ConnectionLimit;
import io.courier.transport.netty.EventLoops;
import io.courier.transport.netty.RefusalLog;
import io.courier.transport.netty.TlsFailures;
import io.courier.transport.tcp.TcpConnectionAcceptor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.Timeout;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server half of the {@code http2} transport: one listening port on which each connection's first bytes
 * choose its protocol ({@link ProtocolDetector}) — gRPC over cleartext HTTP/2, gRPC over TLS with ALPN
 * {@code h2}, Courier TCP framing ({@link TcpConnectionAcceptor}) and, through the {@link Http1Handler} hook,
 * HTTP/1.1. Every server also answers {@code grpc.health.v1.Health} ({@link HealthService}), and gRPC server
 * reflection when asked to ({@link ReflectionService}).
 *
 * <p>Graceful shutdown: stop accepting, mark health {@code NOT_SERVING}, send GOAWAY (HTTP/2) and the TCP
 * GOAWAY frame, let streams in flight finish within the grace period, then close what is left.
 */
final class Http2ServerTransport implements ServerTransport {

  private static final Logger log = LoggerFactory.getLogger(Http2ServerTransport.class);
  private static final RefusalLog TLS_REFUSALS = new RefusalLog(log);
  private static final long BIND_TIMEOUT_SECONDS = 10;

  private final TransportContext context;
  private final List<Http2Binding> bindings;
  private final Http2Config config;
  private final EventLoops loops;
  private final ChannelGroup http2Connections = new DefaultChannelGroup("courier-http2", GlobalEventExecutor.INSTANCE);
  private final ChannelGroup otherConnections = new DefaultChannelGroup("courier-http1", GlobalEventExecutor.INSTANCE);
  private final ConnectionLimit limit;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile Channel serverChannel;
  private volatile InetSocketAddress localAddress;
  private volatile ServerCallHandler calls;
  private volatile HealthService health;
  private volatile TcpConnectionAcceptor tcp;

  /** @param bindings what the port may serve next to gRPC, each checking the server's options when it starts */
  Http2ServerTransport(TransportContext context, List<Http2Binding> bindings) {
    this.context = context;
    this.bindings = bindings;
    this.config = Http2Config.of(context.options(), true);
    this.limit = new ConnectionLimit(context.options().get(Http2Options.MAX_CONNECTIONS),
        "Http2Options.MAX_CONNECTIONS");
    this.loops = new EventLoops(context.options().get(Http2Options.NATIVE_TRANSPORT),
        context.options().get(Http2Options.IO_THREADS), "courier-http2-server");
  }

  @Override
  public InetSocketAddress start(InetSocketAddress address, ServerCallHandler handler) {
    for (Http2Binding binding : bindings) {
      binding.checkServer(context.options(), config.http1Handler());
    }
    this.health = new HealthService(handler, context.timer(),
        context.options().get(Http2Options.HEALTH_CHECKS_ADMITTED));
    this.calls = withReflection(health, handler);
    if (config.http1Handler() != null) {
      config.http1Handler().start(calls, context); // fails the start on a configuration error, before binding
    }
    if (config.sharePortWithTcp()) {
      this.tcp = new TcpConnectionAcceptor(context, calls);
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
            ch.pipeline().addLast("detect", new ProtocolDetector(Http2ServerTransport.this, false));
          }
        });
    ChannelFuture bind = bootstrap.bind(address.getHostString(), address.getPort());
    if (!bind.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !bind.isSuccess()) {
      loops.group().shutdownGracefully(0, 1, TimeUnit.SECONDS);
      String why = bind.cause() != null ? bind.cause().getMessage()
          : "not bound within " + BIND_TIMEOUT_SECONDS + " s";
      BindException e = new BindException("cannot listen for http2 on " + address.getHostString() + ":"
          + address.getPort() + ": " + why + " (choose a free port, or 0 for any)");
      e.initCause(bind.cause());
      throw new UncheckedIOException(e);
    }
    serverChannel = bind.channel();
    localAddress = (InetSocketAddress) serverChannel.localAddress();
    return localAddress;
  }

  /**
   * {@code services} with gRPC server reflection in front when {@link Http2Options#REFLECTION} is set; fails (before
   * binding) when only {@link Http2Options#REFLECTION_FILES} is, or when a declaration disagrees with its interface.
   */
  private ServerCallHandler withReflection(ServerCallHandler services, ServerCallHandler application) {
    boolean reflection = context.options().get(Http2Options.REFLECTION);
    if (!reflection) {
      if (context.options().setOptions().contains(Http2Options.REFLECTION_FILES)) {
        throw new IllegalArgumentException(Http2Options.REFLECTION_FILES + ": "
            + context.options().get(Http2Options.REFLECTION_FILES) + " while " + Http2Options.REFLECTION
            + " is false (expected: option(Http2Options.REFLECTION, true) too, or no reflection files)");
      }
      return services;
    }
    return new ReflectionService(services, application, context.timer(),
        context.options().get(Http2Options.REFLECTION_FILES));
  }

  boolean servesTcp() {
    return tcp != null;
  }

  boolean servesTls() {
    return config.tls() != null;
  }

  /** Whether cleartext is served: no TLS, or TLS with {@code TlsConfig.allowPlaintext()}. */
  boolean servesPlaintext() {
    return config.tls() == null || config.tls().allowsPlaintext();
  }

  Http1Handler http1Handler() {
    return config.http1Handler();
  }

  void installTcp(Channel ch) {
    tcp.accept(ch);
  }

  void installHttp2(Channel ch) {
    http2Connections.add(ch);
    ch.pipeline()
        .addLast("read-deadline", new Http2ReadDeadline(config.readTimeoutMillis(), true, "Http2Options.READ_TIMEOUT"))
        .addLast("keepalive", new IdleStateHandler(0, 0, config.keepaliveMillis(), TimeUnit.MILLISECONDS))
        .addLast("grpc", Http2ServerConnection.create(config, acceptor()));
    if (shuttingDown.get()) {
      ch.eventLoop().execute(() -> goAway(ch));
    }
  }

  /**
   * gRPC admission for each new stream; with an {@link Http1Handler} hook, a request whose content type is not gRPC's
   * goes to the hook as an {@link HttpExchange} instead.
   */
  private StreamAcceptor acceptor() {
    ServerCallHandler handler = calls;
    StreamAcceptor grpc = new GrpcStreamAcceptor(handler, context.serializers(), config.maxMessageSize());
    Http1Handler hook = config.http1Handler();
    if (hook == null) {
      return grpc;
    }
    String other = hook.http2ContentTypes();
    String accepted = GrpcProtocol.CONTENT_TYPES + " for gRPC" + (other != null ? ", or " + other
        : "; this port's Http1Handler serves no other over HTTP/2");
    return StreamAcceptor.byContentType(grpc,
        new HttpExchangeAcceptor(exchange -> hook.http2Request(exchange, handler, context), accepted));
  }

  void installHttp1(Channel ch) {
    otherConnections.add(ch);
    config.http1Handler().install(ch, calls, context);
  }

  /**
   * TLS, then by ALPN: {@code h2} is gRPC, {@code http/1.1} the {@link Http1Handler} hook; without ALPN (a Courier TCP
   * client, or an HTTP client that offers none) the first bytes inside TLS decide, as on a cleartext port.
   */
  void installTls(Channel ch) {
    ch.pipeline().addLast("tls", config.tls().current().newHandler(ch.alloc()))
        .addLast("alpn", new ApplicationProtocolNegotiationHandler(NO_ALPN) {
          @Override
          protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
              installHttp2(ctx.channel());
            } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol) && config.http1Handler() != null) {
              installHttp1(ctx.channel());
            } else {
              ctx.pipeline().addLast("detect", new ProtocolDetector(Http2ServerTransport.this, true));
            }
          }

          @Override
          protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            TLS_REFUSALS.refused(ctx.channel(), "TLS failed: " + TlsFailures.describe(cause));
            ctx.close();
          }
        });
  }

  /** The ALPN "protocol" of a TLS connection that negotiated none. */
  private static final String NO_ALPN = "";

  @Override
  public Function<MethodDescriptor, String> restRoutes() {
    return config.http1Handler() == null ? null : config.http1Handler().restRoutes();
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
    Channel server = serverChannel;
    if (server != null) {
      server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    HealthService h = health;
    if (h != null) {
      h.shutdown();
    }
    CompletableFuture<Void> http2Drained = new CompletableFuture<>();
    http2Connections.newCloseFuture().addListener(f -> http2Drained.complete(null));
    goAwayAll();
    CompletableFuture<Void> tcpDrained = tcp == null ? CompletableFuture.completedFuture(null)
        : tcp.shutdown(gracePeriod);
    CompletableFuture<Void> drained = CompletableFuture.allOf(http2Drained, tcpDrained);
    Timeout graceTimer = context.timer().newTimeout(t -> {
      if (!drained.isDone()) {
        log.warn("grace period of {} ms over with streams still open; closing their connections",
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

  /** Sends GOAWAY on every HTTP/2 connection; each closes once its streams are done. */
  void goAwayAll() {
    for (Channel ch : http2Connections) {
      ch.eventLoop().execute(() -> goAway(ch));
    }
  }

  private static void goAway(Channel ch) {
    Http2ServerConnection handler = ch.pipeline().get(Http2ServerConnection.class);
    if (handler != null) {
      handler.goAway("server shutting down");
    } else {
      ch.close();
    }
  }

  @Override
  public void close() {
    shuttingDown.set(true);
    HealthService h = health;
    if (h != null) {
      h.shutdown();
    }
    closeConnectionsAndLoops();
  }

  private void closeConnectionsAndLoops() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    Channel server = serverChannel;
    if (server != null) {
      server.close();
    }
    TcpConnectionAcceptor t = tcp;
    if (t != null) {
      t.close();
    }
    otherConnections.close();
    http2Connections.close().addListener(f -> loops.group().shutdownGracefully(0, 2, TimeUnit.SECONDS)
        .addListener(g -> terminated.complete(null)));
  }
}
