package io.courier.transport.rest;

import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.common.Endpoint;
import io.courier.common.Status;
import io.courier.transport.ClientTransport;
import io.courier.transport.TlsConfig;
import io.courier.transport.TransportContext;
import io.courier.transport.netty.EventLoops;
import io.courier.transport.netty.ReconnectBackoff;
import io.courier.transport.netty.TlsContextSource;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client half of the {@code rest} transport: calls a service through its REST binding with the same stubs as the
 * other transports. Per provider, either a pool of HTTP/1.1 keep-alive connections, each carrying one call at a time
 * (up to {@link RestOptions#MAX_CONNECTIONS_PER_ENDPOINT}; further calls wait for a free one within their deadline),
 * or, with {@link RestOptions#HTTP2}, one h2 connection (prior knowledge, or TLS with ALPN) carrying every call as its
 * own stream. After a failed connect, calls to that provider fail at once with {@code UNAVAILABLE} for a backoff
 * (100 ms, doubling to 10 s), so that a cluster layer can go elsewhere.
 */
final class RestClientTransport implements ClientTransport {

  private static final AttributeKey<RestClientHandler> HANDLER = AttributeKey.valueOf("courier.rest.handler");

  private final RestCodec codec;
  private final EventLoops loops;
  /**
   * Every connection this client opened (closed ones leave it): {@link #close} closes them and waits, while the event
   * loops still run, so that each connection's calls fail there; a close left to the loops' shutdown could find them
   * gone before the channel's inactive event ran, and leave its calls waiting for their deadlines.
   */
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Bootstrap bootstrap;
  private final boolean http2;
  private final int maxConnections;
  private final int maxBodySize;
  private final long idleMillis;
  private final TlsContextSource tls;
  private final Map<Endpoint, Pool> pools = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  RestClientTransport(TransportContext context) {
    this.codec = RestCodec.of(context.serializers());
    this.http2 = context.options().get(RestOptions.HTTP2);
    this.maxConnections = context.options().get(RestOptions.MAX_CONNECTIONS_PER_ENDPOINT);
    this.maxBodySize = context.options().get(RestOptions.MAX_BODY_SIZE);
    this.idleMillis = context.options().get(RestOptions.IDLE_TIMEOUT).toMillis();
    TlsConfig tls = context.options().get(TlsConfig.OPTION);
    this.tls = tls == null ? null : http2
        ? TlsContextSource.forClient(tls, Http2SecurityUtil.CIPHERS, ApplicationProtocolNames.HTTP_2)
        : TlsContextSource.forClient(tls, List.of(), ApplicationProtocolNames.HTTP_1_1);
    this.loops = new EventLoops(context.options().get(RestOptions.NATIVE_TRANSPORT),
        context.options().get(RestOptions.IO_THREADS), "courier-rest-client");
    this.bootstrap = new Bootstrap().group(loops.group()).channel(loops.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, context.options().get(RestOptions.CONNECT_TIMEOUT).toMillis()));
  }

  @Override
  public CompletableFuture<Object> call(Endpoint endpoint, Invocation invocation) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("client is closed").asException());
    }
    if (invocation.isCancelled()) {
      return CompletableFuture.failedFuture(invocation.cancellationStatus().asException());
    }
    if (InternalInvocation.stream(invocation) != null) {
      return CompletableFuture.failedFuture(Status.UNIMPLEMENTED.withDescription(invocation.method().fullName()
          + " is a " + invocation.method().kind() + " method and the rest transport cannot stream "
          + "(use RpcClient.builder().transport(\"http2\"))").asException());
    }
    RestClientCall call;
    try {
      call = new RestClientCall(invocation, codec, endpoint, ByteBufAllocator.DEFAULT);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).withCause(e)
          .asException());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Status.INTERNAL.withDescription("could not encode the request of "
          + invocation.method().fullName() + ": " + e.getMessage()).withCause(e).asException());
    }
    Pool pool = pools.computeIfAbsent(endpoint, e -> http2 ? new Http2Pool(e) : new Http1Pool(e));
    if (http2) {
      call.onResend(() -> pool.execute(call)); // a stream the server refused unprocessed: on a usable connection
    }
    pool.execute(call);
    return call.result();
  }

  @Override
  public void disconnect(Endpoint endpoint) {
    Pool pool = pools.remove(endpoint);
    if (pool != null) {
      pool.closeIdle();
    }
  }

  /** Calls waiting for a connection or carried by one, over every provider; for tests that check nothing leaks. */
  int pendingCalls() {
    int total = 0;
    for (Pool pool : pools.values()) {
      total += pool.pendingCalls();
    }
    return total;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    pools.values().forEach(Pool::close);
    pools.clear();
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    loops.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** The connections to one provider. */
  private abstract class Pool {
    final Endpoint endpoint;
    private final ReconnectBackoff backoff = new ReconnectBackoff(MIN_BACKOFF, MAX_BACKOFF); // guarded by this

    Pool(Endpoint endpoint) {
      this.endpoint = endpoint;
    }

    abstract void execute(RestClientCall call);

    abstract void closeIdle();

    abstract void close();

    /** Calls waiting for a connection or carried by one; for tests. */
    abstract int pendingCalls();

    /** Why a connect must not be tried now (a recent one failed), or {@code null}. Guarded by this. */
    Status backoffRefusal() {
      return backoff.refusal("cannot connect to " + endpoint);
    }

    /** Records a connect's outcome; guarded by this. */
    void connected(Throwable error) {
      backoff.connected(error);
    }

    /** Connects; the future completes once the channel can carry a request (after TLS and ALPN, if any). */
    CompletableFuture<Channel> connect(ChannelInitializer<Channel> protocol) {
      CompletableFuture<Channel> ready = new CompletableFuture<>();
      Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          channels.add(ch);
          ch.closeFuture().addListener(f -> ready.completeExceptionally(unavailable("closed while connecting")));
          if (tls == null) {
            ch.pipeline().addLast(protocol);
            return;
          }
          ch.pipeline().addLast("tls", tls.current().newHandler(ch.alloc(), endpoint.host(), endpoint.port()))
              .addLast("tls-done", new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                  if (evt instanceof SslHandshakeCompletionEvent done) {
                    ctx.pipeline().remove(this);
                    if (done.isSuccess()) {
                      ctx.pipeline().addLast(protocol);
                      ready.complete(ctx.channel());
                    } else {
                      ready.completeExceptionally(unavailable("TLS handshake failed: " + done.cause().getMessage()));
                      ctx.close();
                    }
                    return;
                  }
                  super.userEventTriggered(ctx, evt);
                }
              });
        }
      });
      b.connect(endpoint.host(), endpoint.port()).addListener(f -> {
        if (!f.isSuccess()) {
          ready.completeExceptionally(unavailable(String.valueOf(f.cause().getMessage())));
        } else if (tls == null) {
          ready.complete(((ChannelFuture) f).channel());
        }
      });
      return ready;
    }

    Throwable unavailable(String why) {
      return Status.UNAVAILABLE.withDescription("cannot connect to " + endpoint + ": " + why).asException();
    }
  }

  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /**
   * HTTP/1.1 keep-alive connections to one provider. Invariant: {@link #open} counts connections open or opening;
   * a connection is in {@link #idle} or carries exactly one call; waiting calls get the next free connection.
   */
  private final class Http1Pool extends Pool {
    private final ArrayDeque<RestClientHandler> idle = new ArrayDeque<>(); // guarded by this
    private final ArrayDeque<RestClientCall> waiting = new ArrayDeque<>(); // guarded by this
    private int open; // guarded by this
    private boolean poolClosed; // guarded by this

    Http1Pool(Endpoint endpoint) {
      super(endpoint);
    }

    @Override
    void execute(RestClientCall call) {
      RestClientHandler free = null;
      Status refused = null;
      boolean dial = false;
      synchronized (this) {
        if (poolClosed) { // a call sent again (its connection closed), once the pool let go of the provider
          refused = Status.UNAVAILABLE.withDescription(closed.get() ? "client is closed" : "connections to "
              + endpoint + " were released: it is no longer a provider");
        } else {
          while ((free = idle.pollFirst()) != null && !free.channel().isActive()) {
            // closed while idle: its close listener updates the count
          }
          if (free == null) {
            if (open < maxConnections) {
              refused = backoffRefusal();
              if (refused == null) {
                open++;
                dial = true;
              }
            } else {
              waiting.add(call);
            }
          }
        }
      }
      if (refused != null) {
        call.fail(refused);
      } else if (free != null) {
        run(free, call);
      } else if (dial) {
        dial(call);
      }
    }

    private void run(RestClientHandler handler, RestClientCall call) {
      try {
        handler.channel().eventLoop().execute(() -> handler.start(call));
      } catch (RuntimeException rejected) { // the client closed meanwhile: its event loops are gone
        call.fail(Status.UNAVAILABLE.withDescription("client is closed")); // releases the request too
      }
    }

    private void dial(RestClientCall first) {
      connect(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          RestClientHandler handler = new RestClientHandler(endpoint, Http1Pool.this::released,
              Http1Pool.this::execute);
          ch.attr(HANDLER).set(handler);
          ch.pipeline().addLast("rest-idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
              .addLast("http1", new HttpClientCodec())
              .addLast("aggregate", new HttpObjectAggregator(maxBodySize))
              .addLast("rest", handler);
        }
      }).whenComplete((ch, error) -> {
        synchronized (this) {
          connected(error);
        }
        if (error != null) {
          RestClientCall[] stranded;
          synchronized (this) {
            open--;
            stranded = open == 0 ? waiting.toArray(new RestClientCall[0]) : new RestClientCall[0];
            if (open == 0) {
              waiting.clear();
            }
          }
          Status status = Status.fromThrowable(error);
          first.fail(status);
          for (RestClientCall c : stranded) {
            c.fail(status);
          }
          return;
        }
        ch.closeFuture().addListener(f -> closed());
        RestClientHandler handler = ch.attr(HANDLER).get();
        if (handler == null) { // TLS: the protocol handlers were added after the handshake
          handler = ch.pipeline().get(RestClientHandler.class);
        }
        run(handler, first);
      });
    }

    /** A connection finished its call and may carry another. */
    private void released(RestClientHandler handler) {
      RestClientCall next;
      synchronized (this) {
        while ((next = waiting.pollFirst()) != null && next.isFinished()) {
          // cancelled while waiting
        }
        if (next == null) {
          if (poolClosed) {
            handler.channel().close();
          } else {
            idle.addFirst(handler); // most recently used first: the others may idle out
          }
          return;
        }
      }
      handler.start(next);
    }

    private void closed() {
      RestClientCall next;
      RestClientCall[] stranded = {};
      synchronized (this) {
        open--;
        idle.removeIf(h -> !h.channel().isActive());
        while ((next = waiting.pollFirst()) != null && next.isFinished()) {
          // cancelled while waiting
        }
        if (next != null && poolClosed) {
          // let go of (its provider left): no connection is dialled for it any more; those still open take the
          // waiting calls as they finish, and when none is left the calls are failed, unsent, rather than kept
          waiting.addFirst(next);
          next = null;
          if (open == 0) {
            stranded = waiting.toArray(new RestClientCall[0]);
            waiting.clear();
          }
        }
        if (next != null) {
          open++;
        }
      }
      for (RestClientCall c : stranded) {
        c.fail(Status.UNAVAILABLE.withDescription("the connections to " + endpoint + " closed before "
            + c.method().fullName() + " was sent, and it is no longer a provider"));
      }
      if (next != null) {
        dial(next);
      }
    }

    /** Each connection open (or opening) and not idle carries (or will carry) one call. */
    @Override
    synchronized int pendingCalls() {
      return waiting.size() + open - idle.size();
    }

    @Override
    void closeIdle() {
      RestClientHandler[] toClose;
      synchronized (this) {
        poolClosed = true;
        toClose = idle.toArray(new RestClientHandler[0]);
        idle.clear();
      }
      for (RestClientHandler h : toClose) {
        h.channel().close();
      }
    }

    @Override
    void close() {
      closeIdle();
      RestClientCall[] stranded;
      synchronized (this) {
        stranded = waiting.toArray(new RestClientCall[0]);
        waiting.clear();
      }
      for (RestClientCall c : stranded) {
        c.fail(Status.UNAVAILABLE.withDescription("client is closed"));
      }
    }
  }

  /**
   * One h2 connection to a provider, replaced when it closes or goes away; every call is a stream on it, served by
   * the connection's {@link RestHttp2ClientHandler}.
   */
  private final class Http2Pool extends Pool {
    private CompletableFuture<RestHttp2ClientHandler> current; // guarded by this
    private boolean released; // guarded by this: the provider left, or the client closed: no new connection

    Http2Pool(Endpoint endpoint) {
      super(endpoint);
    }

    @Override
    void execute(RestClientCall call) {
      CompletableFuture<RestHttp2ClientHandler> connection;
      synchronized (this) {
        if (released) { // a call sent again after its stream was refused, once the pool let go of the provider
          call.fail(Status.UNAVAILABLE.withDescription(closed.get() ? "client is closed" : "connections to "
              + endpoint + " were released: it is no longer a provider"));
          return;
        }
        connection = current;
        if (connection == null || connection.isDone() && (connection.isCompletedExceptionally()
            || !connection.join().isUsable())) {
          Status refused = backoffRefusal();
          if (refused != null) {
            call.fail(refused);
            return;
          }
          connection = dial();
          current = connection;
        }
      }
      connection.whenComplete((handler, error) -> {
        if (error != null) {
          call.fail(Status.fromThrowable(error));
          return;
        }
        try {
          handler.channel().eventLoop().execute(() -> handler.start(call));
        } catch (RuntimeException rejected) { // the client closed meanwhile: its event loops are gone
          call.fail(Status.UNAVAILABLE.withDescription("client is closed"));
        }
      });
    }

    private CompletableFuture<RestHttp2ClientHandler> dial() {
      CompletableFuture<Channel> attempt = connect(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          ch.pipeline().addLast("rest-idle", RestHttp2ClientHandler.idleStateHandler(idleMillis))
              .addLast("h2", RestHttp2ClientHandler.create(endpoint, tls != null, maxBodySize,
                  RestServerTransport.H2_WINDOW, idleMillis));
        }
      });
      return attempt.whenComplete((ch, error) -> {
        synchronized (this) {
          connected(error);
        }
      }).thenApply(ch -> ch.pipeline().get(RestHttp2ClientHandler.class));
    }

    @Override
    int pendingCalls() {
      CompletableFuture<RestHttp2ClientHandler> c;
      synchronized (this) {
        c = current;
      }
      return c == null || !c.isDone() || c.isCompletedExceptionally() ? 0 : c.join().pendingCalls();
    }

    /** The provider is gone from the registry: no new calls here; the connection closes once its calls end. */
    @Override
    void closeIdle() {
      CompletableFuture<RestHttp2ClientHandler> c = takeCurrent();
      if (c != null) {
        c.thenAccept(h -> h.channel().eventLoop().execute(h::drain));
      }
    }

    @Override
    void close() {
      CompletableFuture<RestHttp2ClientHandler> c = takeCurrent();
      if (c != null) {
        c.thenAccept(h -> h.channel().close()); // GOAWAY and close: calls in flight fail UNAVAILABLE
      }
    }

    private synchronized CompletableFuture<RestHttp2ClientHandler> takeCurrent() {
      released = true;
      CompletableFuture<RestHttp2ClientHandler> c = current;
      current = null;
      return c;
    }
  }
}
