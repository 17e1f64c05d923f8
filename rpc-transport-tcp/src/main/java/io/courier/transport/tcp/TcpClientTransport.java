package io.courier.transport.tcp;

import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.common.Endpoint;
import io.courier.common.Status;
import io.courier.transport.ClientTransport;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOptions;
import io.courier.transport.netty.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client half of the TCP transport: one event loop group, and per provider a small set of long-lived
 * multiplexed connections ({@link EndpointConnections}), opened on first use.
 */
final class TcpClientTransport implements ClientTransport {

  private final TransportContext context;
  private final EventLoops loops;
  private final Bootstrap bootstrap;
  private final Map<Endpoint, EndpointConnections> endpoints = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final int connectionsPerEndpoint;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final TcpSettings settings;

  TcpClientTransport(TransportContext context) {
    this.context = context;
    TransportOptions options = context.options();
    this.loops = new EventLoops(options.get(TcpOptions.NATIVE_TRANSPORT), options.get(TcpOptions.IO_THREADS),
        "courier-tcp-client");
    this.connectionsPerEndpoint = options.get(TcpOptions.CONNECTIONS_PER_ENDPOINT);
    this.minBackoff = options.get(TcpOptions.RECONNECT_BACKOFF_MIN);
    this.maxBackoff = options.get(TcpOptions.RECONNECT_BACKOFF_MAX);
    this.settings = TcpSettings.of(options, false, true);
    this.bootstrap = new Bootstrap().group(loops.group()).channel(loops.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, options.get(TcpOptions.CONNECT_TIMEOUT).toMillis()));
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
          + " is a " + invocation.method().kind() + " method and the tcp transport cannot stream "
          + "(use RpcClient.builder().transport(\"http2\"))").asException());
    }
    EndpointConnections connections = endpoints.get(endpoint);
    if (connections == null) {
      connections = endpoints.computeIfAbsent(endpoint, e -> new EndpointConnections(e, bootstrap,
          connectionsPerEndpoint, minBackoff, maxBackoff, () -> newConnection(e)));
    }
    TcpConnection ready = connections.ready();
    if (ready != null) {
      return ready.call(invocation);
    }
    CompletableFuture<Object> result = new CompletableFuture<>();
    invocation.onCancel(status -> result.completeExceptionally(status.asException()));
    connections.connect().whenComplete((connection, error) -> {
      if (error != null) {
        result.completeExceptionally(error);
      } else if (!result.isDone()) {
        connection.call(invocation).whenComplete((value, failure) -> {
          if (failure != null) {
            result.completeExceptionally(failure);
          } else {
            result.complete(value);
          }
        });
      }
    });
    return result;
  }

  @Override
  public void disconnect(Endpoint endpoint) {
    EndpointConnections connections = endpoints.remove(endpoint);
    if (connections != null) {
      connections.drain();
    }
  }

  private TcpConnection newConnection(Endpoint endpoint) {
    return new TcpConnection(endpoint, context.serializers(), settings);
  }

  /** Calls waiting for a response, over every provider; for tests that check nothing leaks. */
  int pendingCalls() {
    int total = 0;
    for (EndpointConnections connections : endpoints.values()) {
      total += connections.pendingCalls();
    }
    return total;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    endpoints.values().forEach(EndpointConnections::close);
    endpoints.clear();
    loops.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Builds the pipeline of a client connection. */
  static final class ClientInitializer extends ChannelInitializer<Channel> {
    private final TcpConnection connection;

    ClientInitializer(TcpConnection connection) {
      this.connection = connection;
    }

    @Override
    protected void initChannel(Channel ch) {
      if (connection.settings().tls() != null) { // first in the pipeline: nothing is written before the ClientHello
        ch.pipeline().addLast("tls", connection.settings().tls().current().newHandler(ch.alloc(),
            connection.endpoint().host(), connection.endpoint().port()));
      }
      ch.pipeline().addLast("idle", connection.settings().newIdleHandler(true))
          .addLast("decoder", connection.settings().newDecoder())
          .addLast("connection", connection);
    }
  }
}
