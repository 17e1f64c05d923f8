package io.courier.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.Polling;
import io.courier.transport.rest.RestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One connection cannot take every worker: a client that starts many slow calls on one connection gets its share of
 * the pool (half the workers by default), its other calls wait their turn in order, and another client's call is
 * answered meanwhile — on every transport that multiplexes calls over a connection. Nothing admitted is lost: once the
 * slow calls end, every waiting call runs.
 */
class WorkerShareTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest-h2"})
  void oneConnectionGetsItsShareAndOthersAreServed(String transport) throws Exception {
    EchoServiceImpl echo = new EchoServiceImpl();
    String listener = transport.startsWith("rest") ? "rest" : transport;
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").listen(listener, 0).workerThreads(4)
            .service(EchoService.class, echo).build().start();
        RpcClient greedy = client(transport, server.port());
        RpcClient other = client(transport, server.port())) {
      EchoService slow = greedy.create(EchoService.class);
      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(CompletableFuture.supplyAsync(() -> slow.sleep(30_000)));
      }
      Polling.await("the greedy connection's share running", () -> echo.sleepers.size() == 2);

      assertThat(other.create(EchoService.class).echo("still served")).isEqualTo("still served");
      assertThat(echo.sleepers).as("the greedy connection holds no more than its share").hasSize(2);

      echo.wake.get().countDown();
      for (CompletableFuture<String> call : calls) {
        assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("done");
      }
      assertThat(echo.sleepers).as("every call ran").hasSize(20);
    }
  }

  @io.courier.common.RpcService(name = "test.Named")
  public interface Named {
    /** The name of the thread that ran the call. */
    String thread();
  }

  /** A call that waited for its connection's share runs on its own service's executor, not the one that freed it. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2"})
  void aWaitingCallRunsOnItsOwnServicesExecutor(String transport) throws Exception {
    EchoServiceImpl echo = new EchoServiceImpl();
    java.util.concurrent.ExecutorService dedicated = java.util.concurrent.Executors.newSingleThreadExecutor(
        r -> new Thread(r, "dedicated-executor"));
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").listen(transport, 0).workerThreads(2)
            .maxWorkerCallsPerConnection(1).service(EchoService.class, echo)
            .service(Named.class, () -> Thread.currentThread().getName(),
                io.courier.server.ServiceOptions.DEFAULT.executor(dedicated))
            .build().start();
        RpcClient client = client(transport, server.port())) {
      CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> client.create(EchoService.class)
          .sleep(30_000)); // on the worker pool, holding the connection's one share
      Polling.await("the pool's call running", () -> echo.sleepers.size() == 1);
      CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> client.create(Named.class).thread());
      Polling.await("the second call waiting for the share", () -> server.inFlightCalls() == 2);
      echo.wake.get().countDown();
      assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("done");
      assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("dedicated-executor");
    } finally {
      dedicated.shutdownNow();
    }
  }

  private static RpcClient client(String transport, int port) {
    RpcClient.Builder builder = RpcClient.builder().address("127.0.0.1:" + port)
        .defaultTimeout(Duration.ofSeconds(60));
    if (transport.startsWith("rest")) {
      builder.transport("rest").serializer("json").option(RestOptions.HTTP2, true);
    } else {
      builder.transport(transport).serializer("kryo");
    }
    return builder.build();
  }
}
