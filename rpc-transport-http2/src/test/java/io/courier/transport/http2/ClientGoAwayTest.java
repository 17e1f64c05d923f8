package io.courier.transport.http2;

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
import io.courier.internal.server.ConnectionPolicy;
import io.courier.internal.server.ServerDispatcher;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.server.ServiceOptions;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.Polling;
import io.courier.testing.TestInvocations;
import io.courier.transport.ConnectionLostException;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOptions;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client on a connection that receives GOAWAY while the server keeps running (as behind a proxy that drains
 * connections): the call in flight finishes on the old connection, the next call opens a new one. And a client whose
 * streams a server refuses with REFUSED_STREAM: the call is sent again, at most twice.
 */
class ClientGoAwayTest {

  @Test
  void callsInFlightFinishAndNewCallsUseANewConnection() throws Exception {
    run(TransportOptions.DEFAULT, false);
  }

  /**
   * With one stream allowed per connection, the second call waits in the client; GOAWAY refuses it unsent, and the
   * client sends it again on a new connection instead of failing it.
   */
  @Test
  void aCallRefusedByGoAwayIsSentAgainOnANewConnection() throws Exception {
    run(TransportOptions.DEFAULT.with(Http2Options.MAX_CONCURRENT_STREAMS, 1), true);
  }

  /** A server that refuses the first two streams with REFUSED_STREAM: the call is sent again, twice, and answered. */
  @Test
  void aStreamRefusedWithRefusedStreamIsSentAgain() throws Exception {
    AtomicInteger streams = new AtomicInteger();
    withRefusingServer(2, streams, (transport, endpoint) -> {
      assertThat(transport.call(endpoint, echo()).get(10, TimeUnit.SECONDS)).isEqualTo("answered");
      assertThat(streams).as("two refused, one answered").hasValue(3);
    });
  }

  /** A server that refuses every stream: after two resends the call fails UNAVAILABLE, safe to retry. */
  @Test
  void aCallRefusedThreeTimesFailsUnavailableSafeToRetry() throws Exception {
    AtomicInteger streams = new AtomicInteger();
    withRefusingServer(Integer.MAX_VALUE, streams, (transport, endpoint) -> {
      CompletableFuture<Object> call = transport.call(endpoint, echo());
      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(RpcException.class,
          e -> {
            assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
            assertThat(e.getMessage()).contains("refused the stream of courier.testing.EchoService/echo "
                + "(REFUSED_STREAM)", "safe to retry");
            assertThat(ConnectionLostException.isCauseOf(e)).isFalse();
          });
      assertThat(streams).as("sent three times: once, and again twice").hasValue(3);
    });
  }

  private interface TransportTest {
    void run(Http2ClientTransport transport, Endpoint endpoint) throws Exception;
  }

  private static final SerializerSet SERIALIZERS = SerializerSet.load(TypeAllowlist.withDefaults());

  private static Invocation echo() {
    return TestInvocations.unary(ServiceDescriptor.of(EchoService.class).method("echo"), new Object[] {"x"},
        CallOptions.DEFAULT, SERIALIZERS.byName("json"));
  }

  /**
   * Runs {@code test} with a client transport against a real h2 server (Netty's frame codec) that resets its first
   * {@code refusals} streams with REFUSED_STREAM and answers every other with the JSON string "answered".
   */
  private static void withRefusingServer(int refusals, AtomicInteger streams, TransportTest test) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Timer timer = SharedTimer.acquire();
    Http2ClientTransport transport = new Http2ClientTransport(new TransportContext(SERIALIZERS,
        TransportOptions.DEFAULT, timer));
    try {
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  if (msg instanceof Http2HeadersFrame request && !request.isEndStream()) {
                    Http2FrameStream stream = request.stream();
                    if (streams.incrementAndGet() <= refusals) {
                      ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(stream));
                    } else {
                      answer(ctx, stream);
                    }
                  }
                  ReferenceCountUtil.release(msg);
                }
              });
            }
          }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
      test.run(transport, Endpoint.of((InetSocketAddress) server.localAddress()));
      server.close().syncUninterruptibly();
    } finally {
      transport.close();
      SharedTimer.release(timer);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** A gRPC answer: HEADERS, one length-prefixed JSON message, trailers with grpc-status 0. */
  private static void answer(ChannelHandlerContext ctx, Http2FrameStream stream) {
    byte[] json = "\"answered\"".getBytes(StandardCharsets.UTF_8);
    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
        .set("content-type", "application/grpc+json")).stream(stream));
    ctx.write(new DefaultHttp2DataFrame(Unpooled.buffer().writeByte(0).writeInt(json.length).writeBytes(json))
        .stream(stream));
    ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true)
        .stream(stream));
  }

  private void run(TransportOptions options, boolean queueBehindTheSleeper) throws Exception {
    Timer timer = SharedTimer.acquire();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    EchoServiceImpl echo = new EchoServiceImpl();
    TypeAllowlist allowlist = TypeAllowlist.withDefaults();
    SerializerSet serializers = SerializerSet.load(allowlist);
    ServerDispatcher dispatcher = new ServerDispatcher(List.of(new ServerDispatcher.Export(
        ServiceDescriptor.of(EchoService.class), echo, ServiceOptions.DEFAULT)), List.of(), workers, "test pool",
        timer, ConnectionPolicy.UNLIMITED);
    Http2ServerTransport server = new Http2ServerTransport(new TransportContext(serializers, options, timer),
        List.of());
    try {
      InetSocketAddress address = server.start(InetSocketAddress.createUnresolved("127.0.0.1", 0), dispatcher);
      try (RpcClient client = RpcClient.builder().transport("http2").serializer("kryo")
          .address("127.0.0.1:" + address.getPort()).build()) {
        EchoService stub = client.create(EchoService.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)));
        assertThat(stub.echo("first")).isEqualTo("first");
        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> stub.sleep(20_000));
        Polling.await("the call to reach the server", () -> !echo.sleepers.isEmpty());
        if (queueBehindTheSleeper) {
          CompletableFuture<String> queued = stub.echoAsync("queued");
          assertThat(queued).isNotDone();
          server.goAwayAll();
          assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("queued!");
        } else {
          server.goAwayAll();
        }
        assertThat(stub.echo("after GOAWAY")).as("a new call opens a new connection").isEqualTo("after GOAWAY");
        assertThat(inFlight).isNotDone();
        echo.wake.get().countDown();
        assertThat(inFlight.get(10, TimeUnit.SECONDS)).as("the old connection finishes its call").isEqualTo("done");
        assertThat(stub.echo("later")).isEqualTo("later");
      }
    } finally {
      server.close();
      workers.shutdownNow();
      SharedTimer.release(timer);
    }
  }
}
