package io.courier.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.common.RpcService;
import io.courier.server.RpcServer;
import io.courier.testing.Polling;
import io.courier.transport.rest.RestOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A graceful shutdown lets service methods that are still running finish within the grace period, on every
 * transport alike — also when their caller has already given up and gone (cancellation does not stop a thread), so
 * the server's shutdown completes only once no call is in flight.
 */
class GracefulCloseTest {

  @RpcService(name = "test.Slow")
  public interface Slow {
    String work();
  }

  /** Works a second, whatever happens to its caller. */
  static final class Stubborn implements Slow {
    final AtomicBoolean started = new AtomicBoolean();
    final AtomicBoolean finished = new AtomicBoolean();

    @Override
    public String work() {
      started.set(true);
      try {
        Thread.sleep(1_000); // the service's own work, which ignores cancellation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.set(true);
      return "worked";
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest", "rest-h2"})
  void shutdownWaitsForRunningServiceMethods(String transport) throws Exception {
    Stubborn service = new Stubborn();
    String listener = transport.startsWith("rest") ? "rest" : transport;
    RpcServer server = RpcServer.builder().host("127.0.0.1").listen(listener, 0).service(Slow.class, service)
        .build().start();
    try {
      RpcClient.Builder builder = RpcClient.builder().address("127.0.0.1:" + server.port()).transport(listener)
          .serializer(listener.equals("rest") ? "json" : "kryo").defaultTimeout(Duration.ofSeconds(30));
      if (transport.equals("rest-h2")) {
        builder.option(RestOptions.HTTP2, true);
      }
      RpcClient client = builder.build();
      CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> client.create(Slow.class).work());
      Polling.await("the method running", service.started::get);
      client.close(); // the caller gives up: its call fails, its connection closes
      assertThat(call).failsWithin(Duration.ofSeconds(10));
      CompletableFuture<Integer> inFlightWhenDone = server.shutdown(Duration.ofSeconds(10))
          .thenApply(v -> server.inFlightCalls());
      assertThat(inFlightWhenDone.get(15, TimeUnit.SECONDS)).as("calls in flight when the shutdown completed")
          .isZero();
      assertThat(service.finished).isTrue();
    } finally {
      server.close();
    }
  }
}
