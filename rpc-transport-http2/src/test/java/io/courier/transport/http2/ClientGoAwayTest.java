package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.common.CallOptions;
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
import io.courier.transport.ConnectionLostException;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOptions;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.Timer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A client on a connection that receives GOAWAY while the server keeps running (as behind a proxy that drains
 * connections): the call in flight finishes on the old connection, the next call opens a new one. And a client whose
 * streams a server refuses with REFUSED_STREAM: the call is sent again, at most twice; and one whose connection closes
 * while a call still waits for a stream: that call, never sent, is sent again.
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
      assertThat(transport.call(endpoint, FakeGrpcServer.echo()).get(10, TimeUnit.SECONDS)).isEqualTo("answered");
      assertThat(streams).as("two refused, one answered").hasValue(3);
    });
  }

  /** A server that refuses every stream: after two resends the call fails UNAVAILABLE, safe to retry. */
  @Test
  void aCallRefusedThreeTimesFailsUnavailableSafeToRetry() throws Exception {
    AtomicInteger streams = new AtomicInteger();
    withRefusingServer(Integer.MAX_VALUE, streams, (transport, endpoint) -> {
      CompletableFuture<Object> call = transport.call(endpoint, FakeGrpcServer.echo());
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

  /**
   * Runs {@code test} with a client transport against a real h2 server (Netty's frame codec) that resets its first
   * {@code refusals} streams with REFUSED_STREAM and answers every other with the JSON string "answered".
   */
  private static void withRefusingServer(int refusals, AtomicInteger streams, FakeGrpcServer.TransportTest test)
      throws Exception {
    FakeGrpcServer.run(Http2Settings.defaultSettings(), (ctx, stream, connection) -> {
      if (streams.incrementAndGet() <= refusals) {
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(stream));
      } else {
        FakeGrpcServer.answer(ctx, stream);
      }
    }, test);
  }

  /**
   * With one stream allowed per connection, a second call waits in the client for a stream. When the connection then
   * closes, the call in flight fails as lost (it may have run), and the waiting one, never sent, is sent again on a
   * new connection and answered.
   */
  @Test
  void aCallThatWaitedForAStreamWhenTheConnectionClosedIsSentAgainNotLost() throws Exception {
    AtomicReference<ChannelHandlerContext> holding = new AtomicReference<>();
    AtomicInteger onTheFirst = new AtomicInteger();
    FakeGrpcServer.run(Http2Settings.defaultSettings().maxConcurrentStreams(1), (ctx, stream, connection) -> {
      if (connection == 1 && onTheFirst.incrementAndGet() == 2) {
        holding.set(ctx); // the second stream of the first connection is never answered
      } else {
        FakeGrpcServer.answer(ctx, stream);
      }
    }, (transport, endpoint) -> {
      // answered on the first connection: the client has read the server's SETTINGS, sent before the answer
      assertThat(transport.call(endpoint, FakeGrpcServer.echo()).get(10, TimeUnit.SECONDS)).isEqualTo("answered");
      CompletableFuture<Object> inFlight = transport.call(endpoint, FakeGrpcServer.echo());
      Polling.await("the server to hold the call in flight", () -> holding.get() != null);
      CompletableFuture<Object> waiting = transport.call(endpoint, FakeGrpcServer.echo());
      Polling.await("the second call to wait in the client", () -> transport.pendingCalls() == 2);
      // the socket closes at once: closing the channel would go through the codec, which sends GOAWAY first
      holding.get().pipeline().firstContext().close();
      assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(
          RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
            assertThat(ConnectionLostException.isCauseOf(e)).as("sent: it may have run").isTrue();
          });
      assertThat(waiting.get(10, TimeUnit.SECONDS)).as("never sent: sent again").isEqualTo("answered");
    });
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
