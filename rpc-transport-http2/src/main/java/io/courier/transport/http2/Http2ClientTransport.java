package io.courier.transport.http2;

import io.courier.client.Invocation;
import io.courier.common.Endpoint;
import io.courier.common.Status;
import io.courier.transport.ClientTransport;
import io.courier.transport.TransportContext;
import io.courier.transport.netty.EventLoops;
import io.courier.transport.netty.ReconnectBackoff;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client half of the {@code http2} transport: one event loop group and, per provider, one HTTP/2
 * connection that carries every concurrent call as its own stream. A connection that received GOAWAY (or
 * closed) is replaced on the next call; the calls it still carries finish on it. The connection to a provider
 * discovery no longer lists ({@link #disconnect}) takes no new calls and closes once its calls have ended.
 */
final class Http2ClientTransport implements ClientTransport {

  private static final Logger log = LoggerFactory.getLogger(Http2ClientTransport.class);
  private static final long MAX_KEEPALIVE_MILLIS = TimeUnit.HOURS.toMillis(2);

  private final TransportContext context;
  private final Http2Config config;
  private final EventLoops loops;
  /**
   * Every connection this client opened (closed ones leave it): {@link #close} closes them and waits, while the event
   * loops still run, so that each connection's calls fail there; a close left to the loops' shutdown could find them
   * gone before the channel's inactive event ran, and leave its calls waiting for their deadlines.
   */
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Bootstrap bootstrap;
  private final Map<Endpoint, EndpointConnection> endpoints = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Duration minBackoff;
  private final Duration maxBackoff;
  /** The keepalive time of new connections: doubled each time a server says too_many_pings (as grpc-java does). */
  private final AtomicLong keepaliveMillis;

  Http2ClientTransport(TransportContext context) {
    this.context = context;
    this.config = Http2Config.of(context.options(), false);
    this.keepaliveMillis = new AtomicLong(config.keepaliveMillis());
    this.minBackoff = context.options().get(Http2Options.RECONNECT_BACKOFF_MIN);
    this.maxBackoff = context.options().get(Http2Options.RECONNECT_BACKOFF_MAX);
    this.loops = new EventLoops(context.options().get(Http2Options.NATIVE_TRANSPORT),
        context.options().get(Http2Options.IO_THREADS), "courier-http2-client");
    this.bootstrap = new Bootstrap().group(loops.group()).channel(loops.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMillis()));
  }

  @Override
  public CompletableFuture<Object> call(Endpoint endpoint, Invocation invocation) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("client is closed").asException());
    }
    if (invocation.isCancelled()) {
      return CompletableFuture.failedFuture(invocation.cancellationStatus().asException());
    }
    GrpcClientStream call;
    try {
      call = new GrpcClientStream(invocation, ByteBufAllocator.DEFAULT, config.maxMessageSize());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Status.INTERNAL.withDescription("could not encode the request of "
          + invocation.method().fullName() + " with " + invocation.serializer().name() + ": " + e.getMessage())
          .withCause(e).asException());
    }
    EndpointConnection connection = endpoints.computeIfAbsent(endpoint, EndpointConnection::new);
    call.onRestart(() -> connection.start(call, 3));
    connection.start(call, 3);
    return call.result();
  }

  @Override
  public void disconnect(Endpoint endpoint) {
    EndpointConnection connection = endpoints.remove(endpoint);
    if (connection != null) {
      connection.drain();
    }
  }

  /** Calls with an open stream on the current connection to each provider; for tests that check nothing leaks. */
  int pendingCalls() {
    int total = 0;
    for (EndpointConnection connection : endpoints.values()) {
      total += connection.pendingCalls();
    }
    return total;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    endpoints.values().forEach(EndpointConnection::close);
    endpoints.clear();
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    loops.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /**
   * The connection to one provider; replaced when it goes away. Invariant: at most one connect in flight; after a
   * failed connect none starts before {@link #retryAtNanos}.
   */
  private final class EndpointConnection {
    private final Endpoint endpoint;
    private CompletableFuture<GrpcClientHandler> current; // guarded by this
    private final ReconnectBackoff backoff = new ReconnectBackoff(minBackoff, maxBackoff); // guarded by this
    private boolean released; // guarded by this: discovery dropped the provider, no new connection is made

    EndpointConnection(Endpoint endpoint) {
      this.endpoint = endpoint;
    }

    /** Starts {@code call} on a usable connection, trying a fresh one if the chosen one is going away. */
    void start(GrpcClientStream call, int attemptsLeft) {
      connection().whenComplete((handler, error) -> {
        if (error != null) {
          call.failToStart(Status.fromThrowable(error));
          return;
        }
        try {
          handler.eventLoop().execute(() -> {
            if (handler.isUsable()) {
              handler.start(call);
            } else if (attemptsLeft > 1 && !closed.get()) {
              start(call, attemptsLeft - 1);
            } else {
              call.failToStart(Status.UNAVAILABLE.withDescription("the connection to " + endpoint + " is closing"));
            }
          });
        } catch (RuntimeException rejected) { // the client closed meanwhile: its event loops are gone
          call.failToStart(Status.UNAVAILABLE.withDescription("client is closed"));
        }
      });
    }

    int pendingCalls() {
      CompletableFuture<GrpcClientHandler> c;
      synchronized (this) {
        c = current;
      }
      return c == null || !c.isDone() || c.isCompletedExceptionally() ? 0 : c.join().pendingCalls();
    }

    synchronized CompletableFuture<GrpcClientHandler> connection() {
      CompletableFuture<GrpcClientHandler> c = current;
      if (c != null && (!c.isDone() || !c.isCompletedExceptionally() && c.join().isUsable())) {
        return c;
      }
      if (closed.get()) {
        return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("client is closed").asException());
      }
      if (released) {
        return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("connections to " + endpoint
            + " were released: it is no longer a provider").asException());
      }
      Status refused = backoff.refusal(null);
      if (refused != null) {
        return CompletableFuture.failedFuture(refused.asException());
      }
      // The backoff is recorded before anyone sees the outcome, so a caller retrying at once meets it.
      CompletableFuture<GrpcClientHandler> attempt = connect().whenComplete((handler, error) -> connected(error));
      current = attempt;
      return attempt;
    }

    private synchronized void connected(Throwable error) {
      backoff.connected(error);
    }

    private CompletableFuture<GrpcClientHandler> connect() {
      CompletableFuture<GrpcClientHandler> ready = new CompletableFuture<>();
      boolean tls = config.tls() != null;
      ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          channels.add(ch);
          if (!tls) {
            GrpcClientHandler handler = handler(false);
            ch.pipeline().addLast("keepalive", keepalive()).addLast("grpc", handler);
            ch.closeFuture()
                .addListener(f -> ready.completeExceptionally(unavailable("closed while connecting", null)));
            return;
          }
          // first in the pipeline: the ClientHello is the first thing written, nothing goes out in cleartext
          SslHandler tlsHandler = config.tls().current().newHandler(ch.alloc(), endpoint.host(), endpoint.port());
          ch.pipeline().addLast("tls", tlsHandler)
              .addLast("alpn", new ApplicationProtocolNegotiationHandler("none") {
                @Override
                protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                  if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    ready.completeExceptionally(unavailable("the server negotiated '" + protocol
                        + "' over TLS (expected: h2)", null));
                    ctx.close();
                    return;
                  }
                  GrpcClientHandler handler = handler(true);
                  ctx.pipeline().addLast("keepalive", keepalive()).addLast("grpc", handler);
                  ready.complete(handler);
                }

                @Override
                protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                  ready.completeExceptionally(unavailable("TLS handshake failed: " + cause.getMessage(), cause));
                  ctx.close();
                }
              });
          ch.closeFuture().addListener(f -> {
            Throwable handshake = tlsHandler.handshakeFuture().cause();
            ready.completeExceptionally(handshake != null
                ? unavailable("TLS handshake failed: " + handshake.getMessage(), handshake)
                : unavailable("closed while connecting", null));
          });
        }
      }).connect(endpoint.host(), endpoint.port());
      connect.addListener(f -> {
        if (!f.isSuccess()) {
          ready.completeExceptionally(unavailable(f.cause().getMessage(), f.cause()));
        } else if (!tls) {
          ready.complete(connect.channel().pipeline().get(GrpcClientHandler.class));
        }
      });
      return ready;
    }

    private IdleStateHandler keepalive() {
      return new IdleStateHandler(0, 0, keepaliveMillis.get(), TimeUnit.MILLISECONDS);
    }

    private GrpcClientHandler handler(boolean tls) {
      GrpcClientHandler handler = GrpcClientHandler.create(endpoint, tls, config);
      handler.onTooManyPings(() -> {
        long raised = keepaliveMillis.updateAndGet(v -> Math.min(Math.max(v, 1) * 2, MAX_KEEPALIVE_MILLIS));
        log.warn("{} said too_many_pings: pinging every {} ms from now on (Http2Options.KEEPALIVE_TIME is below what"
            + " it permits)", endpoint, raised);
      });
      return handler;
    }

    private Throwable unavailable(String why, Throwable cause) {
      return Status.UNAVAILABLE.withDescription("cannot connect to " + endpoint + ": " + why).withCause(cause)
          .asException();
    }

    /**
     * Lets go of this provider (discovery no longer lists it): no new connection; the current one takes no new calls
     * and closes once the calls it carries have ended.
     */
    void drain() {
      CompletableFuture<GrpcClientHandler> c;
      synchronized (this) {
        released = true;
        c = current;
      }
      if (c != null) {
        c.thenAccept(GrpcClientHandler::drain);
      }
    }

    synchronized void close() {
      CompletableFuture<GrpcClientHandler> c = current;
      if (c != null) {
        c.thenAccept(GrpcClientHandler::close);
        c.completeExceptionally(Status.UNAVAILABLE.withDescription("client is closed").asException());
      }
    }
  }
}
