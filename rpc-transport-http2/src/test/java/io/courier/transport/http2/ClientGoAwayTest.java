package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.common.CallOptions;
import io.courier.common.ServiceDescriptor;
import io.courier.internal.common.SharedTimer;
import io.courier.internal.server.ConnectionPolicy;
import io.courier.internal.server.ServerDispatcher;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.server.ServiceOptions;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.Polling;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOptions;
import io.netty.util.Timer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client on a connection that receives GOAWAY while the server keeps running (as behind a proxy that drains
 * connections): the call in flight finishes on the old connection, the next call opens a new one.
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
