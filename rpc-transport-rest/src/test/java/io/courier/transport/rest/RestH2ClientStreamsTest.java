package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.StatusCode;
import io.courier.internal.common.SharedTimer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.Polling;
import io.courier.testing.TestInvocations;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOptions;
import io.courier.transport.http2.Http2Exchanges;
import io.courier.transport.http2.HttpExchange;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.Timer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST h2 client against a server that allows one stream at a time and answers when the test says: calls beyond
 * the server's MAX_CONCURRENT_STREAMS wait in the client, a waiting call that is cancelled leaves the connection
 * and the other calls alone, and a provider that leaves the registry lets its calls in flight finish.
 */
class RestH2ClientStreamsTest {

  private final BlockingQueue<HttpExchange> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private EventLoopGroup group;
  private Channel server;
  private RpcClient client;

  @BeforeEach
  void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server = listen(ch -> {
      connections.incrementAndGet();
      ch.closeFuture().addListener(f -> closed.incrementAndGet());
      ch.pipeline().addLast(Http2Exchanges.server(exchange -> {
        requests.add(exchange);
        return HttpExchange.Receiver.DISCARD;
      }, 16384, 1, 1 << 20));
    });
    client = client(server, RestOptions.IDLE_TIMEOUT.defaultValue());
  }

  private Channel listen(java.util.function.Consumer<Channel> connection) {
    return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            connection.accept(ch);
          }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  private static RpcClient client(Channel to, Duration idleTimeout) {
    return RpcClient.builder().transport("rest").serializer("json")
        .address("127.0.0.1:" + ((InetSocketAddress) to.localAddress()).getPort())
        .option(RestOptions.HTTP2, true).option(RestOptions.IDLE_TIMEOUT, idleTimeout).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void aCallWaitingForAStreamCanBeCancelledWithoutHarmToTheConnection() throws Exception {
    UserResource patient = client.create(UserResource.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)));
    UserResource hasty = client.create(UserResource.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
    // one call answered first: the client has then read the server's SETTINGS (one stream at a time), which on a
    // loaded machine may otherwise still be unread when the hasty call opens a stream the server refuses
    CompletableFuture<Long> opening = CompletableFuture.supplyAsync(patient::ping);
    requests.poll(10, TimeUnit.SECONDS).respond(answer(1));
    assertThat(opening.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
    CompletableFuture<Long> first = CompletableFuture.supplyAsync(patient::ping);
    HttpExchange firstRequest = requests.poll(10, TimeUnit.SECONDS);
    assertThat(firstRequest).as("the first call reached the server").isNotNull();

    // the server's one stream is taken: this call waits in the client until its deadline cancels it
    assertThatThrownBy(hasty::ping).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    assertThat(requests).as("the cancelled call never reached the server").isEmpty();

    firstRequest.respond(answer(42));
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(42L);
    CompletableFuture<Long> next = CompletableFuture.supplyAsync(patient::ping);
    requests.poll(10, TimeUnit.SECONDS).respond(answer(7));
    assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo(7L);
    assertThat(connections).as("all on the first connection").hasValue(1);
  }

  @Test
  void aProviderLeavingTheRegistryLetsItsCallsInFlightFinish() throws Exception {
    Timer timer = SharedTimer.acquire();
    TypeAllowlist allowlist = TypeAllowlist.withDefaults();
    SerializerSet serializers = SerializerSet.load(allowlist);
    RestClientTransport transport = new RestClientTransport(new TransportContext(serializers,
        TransportOptions.DEFAULT.with(RestOptions.HTTP2, true), timer));
    try {
      Endpoint endpoint = Endpoint.of((InetSocketAddress) server.localAddress());
      CompletableFuture<Object> inFlight = transport.call(endpoint, TestInvocations.unary(
          ServiceDescriptor.of(UserResource.class).method("ping"), new Object[0], CallOptions.DEFAULT,
          serializers.byName("json")));
      HttpExchange request = requests.poll(10, TimeUnit.SECONDS);
      assertThat(request).as("the call reached the server").isNotNull();

      transport.disconnect(endpoint); // what the cluster does when the provider leaves the registry
      request.respond(answer(42));
      assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo(42L);
      Polling.await("the drained connection to close", () -> closed.get() == 1);
    } finally {
      transport.close();
      SharedTimer.release(timer);
    }
  }

  @Test
  void anIdleConnectionClosesAndTheNextCallDialsAnew() throws Exception {
    try (RpcClient quick = client(server, Duration.ofMillis(200))) {
      UserResource stub = quick.create(UserResource.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)));
      CompletableFuture<Long> first = CompletableFuture.supplyAsync(stub::ping);
      requests.poll(10, TimeUnit.SECONDS).respond(answer(1));
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
      Polling.await("the idle connection to close", () -> closed.get() == 1);

      CompletableFuture<Long> second = CompletableFuture.supplyAsync(stub::ping);
      requests.poll(10, TimeUnit.SECONDS).respond(answer(2));
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2L);
      assertThat(connections).as("a new connection for the second call").hasValue(2);
    }
  }

  @Test
  void callsToAServerThatWentSilentFailUnavailableBeforeTheirDeadline() throws Exception {
    // a peer that takes the connection and never says anything again, as a vanished host looks from here
    Channel silent = listen(ch -> ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
        io.netty.util.ReferenceCountUtil.release(msg);
      }
    }));
    try (RpcClient watchful = client(silent, Duration.ofMillis(300))) {
      UserResource stub = watchful.create(UserResource.class,
          CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(60)));
      CompletableFuture<Long> call = CompletableFuture.supplyAsync(stub::ping);
      // silent for 300 ms: a PING; unanswered for 300 ms more: the connection closes, long before the 60 s deadline
      assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(RpcException.class,
          e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    } finally {
      silent.close().syncUninterruptibly();
    }
  }

  private static FullHttpResponse answer(long value) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.copiedBuffer(Long.toString(value), StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }
}
