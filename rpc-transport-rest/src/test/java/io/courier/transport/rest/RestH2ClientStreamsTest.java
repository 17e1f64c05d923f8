package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.Invocation;
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
import io.courier.transport.ConnectionLostException;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOptions;
import io.courier.transport.http2.Http2Exchanges;
import io.courier.transport.http2.HttpExchange;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Timer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST h2 client against a server that allows one stream at a time and answers when the test says: calls beyond
 * the server's MAX_CONCURRENT_STREAMS wait in the client, a waiting call that is cancelled leaves the connection
 * and the other calls alone, and a provider that leaves the registry lets its calls in flight finish. And against
 * servers that refuse streams unprocessed (GOAWAY, REFUSED_STREAM): such a call is sent again, as gRPC's client does.
 */
class RestH2ClientStreamsTest {

  private final BlockingQueue<HttpExchange> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final AtomicReference<Channel> lastConnection = new AtomicReference<>();
  private EventLoopGroup group;
  private Channel server;
  private RpcClient client;

  @BeforeEach
  void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server = listen(ch -> {
      connections.incrementAndGet();
      lastConnection.set(ch);
      ch.closeFuture().addListener(f -> closed.incrementAndGet());
      ch.pipeline().addLast(Http2Exchanges.server(exchange -> {
        requests.add(exchange);
        return HttpExchange.Receiver.DISCARD;
      }, "anything", 16384, 1, 1 << 20, 0));
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

  /**
   * The second call waits in the client for the server's one stream; the server goes away (GOAWAY in two steps: the
   * final one names the first call's stream as the last), which refuses the waiting call unsent: it is sent again on a
   * new connection and answered there, while the first call finishes on the old one.
   */
  @Test
  void aCallWaitingForAStreamWhenTheServerGoesAwayIsSentAgainOnANewConnection() throws Exception {
    withTransport((transport, endpoint) -> {
      CompletableFuture<Object> opening = transport.call(endpoint, ping());
      requests.poll(10, TimeUnit.SECONDS).respond(answer(1)); // the client has read the server's SETTINGS now
      assertThat(opening.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
      CompletableFuture<Object> first = transport.call(endpoint, ping());
      HttpExchange firstRequest = requests.poll(10, TimeUnit.SECONDS);
      assertThat(firstRequest).as("the first call reached the server").isNotNull();
      CompletableFuture<Object> waiting = transport.call(endpoint, ping());
      Polling.await("the second call to wait for a stream in the client", () -> transport.pendingCalls() == 2);

      Channel connection = lastConnection.get();
      connection.eventLoop().execute(() -> Http2Exchanges.goAway(connection, "test going away"));
      HttpExchange resent = requests.poll(10, TimeUnit.SECONDS);
      assertThat(resent).as("the refused call, sent again").isNotNull();
      assertThat(connections).as("on a new connection").hasValue(2);
      resent.respond(answer(7));
      assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(7L);

      assertThat(first).isNotDone();
      firstRequest.respond(answer(42));
      assertThat(first.get(10, TimeUnit.SECONDS)).as("the old connection finishes its call").isEqualTo(42L);
    });
  }

  /** A server that refuses the first two streams with REFUSED_STREAM: the call is sent again, twice, and answered. */
  @Test
  void aStreamRefusedWithRefusedStreamIsSentAgain() throws Exception {
    AtomicInteger streams = new AtomicInteger();
    Channel refusing = refusing(2, streams);
    try {
      withTransport(refusing, (transport, endpoint) -> {
        assertThat(transport.call(endpoint, ping()).get(10, TimeUnit.SECONDS)).isEqualTo(42L);
        assertThat(streams).as("two refused, one answered").hasValue(3);
      });
    } finally {
      refusing.close().syncUninterruptibly();
    }
  }

  /**
   * A server that refuses every stream: after two resends the call fails UNAVAILABLE, the gRPC client's status for
   * it, with no ConnectionLostException (nothing ran: the cluster layer may retry it, idempotent or not).
   */
  @Test
  void aCallRefusedThreeTimesFailsUnavailableSafeToRetry() throws Exception {
    AtomicInteger streams = new AtomicInteger();
    Channel refusing = refusing(Integer.MAX_VALUE, streams);
    try {
      withTransport(refusing, (transport, endpoint) -> {
        CompletableFuture<Object> call = transport.call(endpoint, ping());
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(RpcException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
              assertThat(e.getMessage()).contains("refused the stream of demo.Users/ping (REFUSED_STREAM)",
                  "safe to retry");
              assertThat(ConnectionLostException.isCauseOf(e)).isFalse();
            });
        assertThat(streams).as("sent three times: once, and again twice").hasValue(3);
        assertThat(transport.pendingCalls()).isZero();
      });
    } finally {
      refusing.close().syncUninterruptibly();
    }
  }

  /** A real h2 server (Netty's frame codec) that resets its first {@code refusals} streams with REFUSED_STREAM. */
  private Channel refusing(int refusals, AtomicInteger streams) {
    return listen(ch -> ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame request) {
              Http2FrameStream stream = request.stream();
              if (streams.incrementAndGet() <= refusals) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(stream));
              } else {
                ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .set("content-type", "application/json")).stream(stream));
                ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("42", StandardCharsets.UTF_8),
                    true).stream(stream));
              }
            }
            ReferenceCountUtil.release(msg);
          }
        }));
  }

  private interface TransportTest {
    void run(RestClientTransport transport, Endpoint endpoint) throws Exception;
  }

  private void withTransport(TransportTest test) throws Exception {
    withTransport(server, test);
  }

  private static void withTransport(Channel to, TransportTest test) throws Exception {
    Timer timer = SharedTimer.acquire();
    RestClientTransport transport = new RestClientTransport(new TransportContext(SERIALIZERS,
        TransportOptions.DEFAULT.with(RestOptions.HTTP2, true), timer));
    try {
      test.run(transport, Endpoint.of((InetSocketAddress) to.localAddress()));
    } finally {
      transport.close();
      SharedTimer.release(timer);
    }
  }

  private static final SerializerSet SERIALIZERS = SerializerSet.load(TypeAllowlist.withDefaults());

  private static Invocation ping() {
    return TestInvocations.unary(ServiceDescriptor.of(UserResource.class).method("ping"), new Object[0],
        CallOptions.DEFAULT, SERIALIZERS.byName("json"));
  }

  private static FullHttpResponse answer(long value) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.copiedBuffer(Long.toString(value), StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }
}
