package io.courier.transport.tcp;

import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerTransport;
import io.courier.transport.TransportContext;
import io.courier.transport.netty.ConnectionLimit;
import io.courier.transport.netty.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.Timeout;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server half of the TCP transport: accepts connections (up to {@link TcpOptions#MAX_CONNECTIONS}),
 * gives each a {@link TcpServerConnection}, and shuts down gracefully: stop accepting, send GOAWAY, let calls
 * in flight finish and let each client close its connection — a Courier client does once it has the GOAWAY and
 * no call pending — within the grace period, then close what is left. Waiting for the client to close, rather
 * than closing as soon as no call runs, is what makes a request that crossed the GOAWAY on the wire get an
 * answer (a refusal that says it did not run) instead of vanishing with the connection, which would leave its
 * caller unable to tell whether it ran. Invariant: {@code drained} completes once, when no call runs and no
 * connection is open after shutdown began, or when the grace period ends.
 */
final class TcpServerTransport implements ServerTransport {

  private static final Logger log = LoggerFactory.getLogger(TcpServerTransport.class);

  private final TransportContext context;
  private final TcpSettings settings;
  private final EventLoops loops;
  private final ChannelGroup connections = new DefaultChannelGroup("courier-tcp", GlobalEventExecutor.INSTANCE);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConnectionLimit limit;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile Channel serverChannel;
  private volatile InetSocketAddress localAddress;
  private volatile ServerCallHandler handler;

  TcpServerTransport(TransportContext context) {
    this(context, true);
  }

  /**
   * {@code ownLoops} false: serves connections another server accepted ({@link TcpConnectionAcceptor}), which has
   * already dealt with TLS.
   */
  TcpServerTransport(TransportContext context, boolean ownLoops) {
    this.context = context;
    this.settings = TcpSettings.of(context.options(), true, ownLoops);
    this.limit = new ConnectionLimit(settings.maxConnections(), "TcpOptions.MAX_CONNECTIONS");
    this.loops = ownLoops ? new EventLoops(context.options().get(TcpOptions.NATIVE_TRANSPORT),
        context.options().get(TcpOptions.IO_THREADS), "courier-tcp-server") : null;
  }

  void handler(ServerCallHandler callHandler) {
    this.handler = callHandler;
  }

  @Override
  public InetSocketAddress start(InetSocketAddress address, ServerCallHandler callHandler) {
    this.handler = callHandler;
    ServerBootstrap bootstrap = new ServerBootstrap().group(loops.group()).channel(loops.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            accept(ch);
          }
        });
    ChannelFuture bind = bootstrap.bind(address.getHostString(), address.getPort()).awaitUninterruptibly();
    if (!bind.isSuccess()) {
      loops.group().shutdownGracefully(0, 1, TimeUnit.SECONDS);
      BindException e = new BindException("cannot listen for tcp on " + address.getHostString() + ":"
          + address.getPort() + ": " + bind.cause().getMessage());
      e.initCause(bind.cause());
      throw new UncheckedIOException(e);
    }
    serverChannel = bind.channel();
    localAddress = (InetSocketAddress) serverChannel.localAddress();
    return localAddress;
  }

  /** Installs the Courier TCP pipeline on an accepted channel; also used by a port-sharing server. */
  void accept(Channel ch) {
    // While shutting down, a connection accepted from the backlog is still set up: it gets a GOAWAY once active
    // (TcpServerConnection.channelActive), so that requests its client already wrote are answered, not dropped.
    if (!limit.admit(ch, this::completeDrainIfIdle)) {
      return;
    }
    connections.add(ch);
    ChannelPipeline pipeline = ch.pipeline();
    if (settings.tls() != null) { // TLS, or cleartext refused at once (or served, with TlsConfig.allowPlaintext())
      pipeline.addLast(TcpTlsDetector.NAME, new TcpTlsDetector(settings.tls()));
    }
    TcpServerConnection connection = new TcpServerConnection(this, handler, context.serializers(), settings);
    pipeline.addLast("idle", settings.newIdleHandler(false));
    pipeline.addLast("decoder", settings.newServerDecoder(connection));
    pipeline.addLast("connection", connection);
  }

  void callStarted() {
    inFlight.incrementAndGet();
  }

  void callFinished() {
    if (inFlight.decrementAndGet() == 0) {
      completeDrainIfIdle();
    }
  }

  /** Whether {@link #shutdown} has begun: connections answer new requests with a refusal. */
  boolean isShuttingDown() {
    return shuttingDown.get();
  }

  private void completeDrainIfIdle() {
    if (shuttingDown.get() && inFlight.get() == 0 && limit.open() == 0) {
      drained.complete(null);
    }
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
    for (Channel ch : connections) {
      TcpServerConnection connection = ch.pipeline().get(TcpServerConnection.class);
      if (connection != null) {
        connection.goAway("server shutting down");
      } // else not set up yet: it sends its GOAWAY when it becomes active
    }
    completeDrainIfIdle();
    Timeout graceTimer = context.timer().newTimeout(t -> {
      int running = inFlight.get();
      int stillOpen = limit.open();
      if (drained.complete(null) && (running > 0 || stillOpen > 0)) {
        log.warn("grace period of {} ms over with {} calls still running and {} connections open; closing them",
            gracePeriod.toMillis(), running, stillOpen);
      }
    }, Math.max(1, gracePeriod.toMillis()), TimeUnit.MILLISECONDS);
    drained.whenComplete((v, e) -> {
      graceTimer.cancel();
      closeConnectionsAndLoops();
    });
    return terminated;
  }

  @Override
  public void close() {
    shuttingDown.set(true);
    drained.complete(null);
    closeConnectionsAndLoops();
  }

  private void closeConnectionsAndLoops() {
    Channel server = serverChannel;
    if (server != null) {
      server.close();
    }
    // Each connection writes what it has queued before it closes: the response of the call whose end completed
    // the drain may still be in its write queue.
    for (Channel ch : connections) {
      TcpServerConnection connection = ch.pipeline().get(TcpServerConnection.class);
      if (connection != null) {
        connection.closeGracefully(ch);
      } else {
        ch.close();
      }
    }
    if (loops == null) { // connections accepted by a port-sharing listener, whose event loops are not ours
      connections.newCloseFuture().addListener(f -> terminated.complete(null));
      return;
    }
    connections.newCloseFuture().addListener(f -> loops.group().shutdownGracefully(0, 2, TimeUnit.SECONDS)
        .addListener(g -> terminated.complete(null)));
  }
}
