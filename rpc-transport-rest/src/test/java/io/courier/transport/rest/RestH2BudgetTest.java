package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.transport.http2.Http2Options;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * REST over h2 waits for the connection's budgets as gRPC does: a body whose content-length does not fit the request
 * budget is held by flow control until budget comes back, and an answer that does not fit the response budget waits
 * for the answers before it to be read, instead of either being refused.
 */
class RestH2BudgetTest {

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(15);

  @AfterEach
  void closeAll() throws Exception {
    pool.shutdownNow();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void concurrentLargeBodiesOnOneConnectionBeyondItsBudgetAllSucceed() throws Exception {
    // 2 MiB per connection, 64 KiB stream windows: about 5 bodies of 256 KiB (as JSON: base64) fit, 8 more may wait;
    // their answers, as large, exceed the response budget too
    RpcServer server = RpcServer.builder().host("127.0.0.1").listen("http2", 0)
        .option(Http2Options.HTTP1_HANDLER, new RestBinding()).option(Http2Options.FLOW_CONTROL_WINDOW, 65_535)
        .maxBufferedBytes(64 << 20, 2 << 20).service(EchoService.class, new EchoServiceImpl()).build().start();
    resources.add(server);
    RpcClient client = RpcClient.builder().transport("rest").address("127.0.0.1:" + server.port())
        .option(RestOptions.HTTP2, true).build(); // one h2 connection
    resources.add(client);
    EchoService echo = client.create(EchoService.class);
    byte[] payload = new byte[256 * 1024];
    List<CompletableFuture<byte[]>> calls = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 12; i++) { // 12 x 341 KiB of JSON = 4 MiB in flight on one connection
        calls.add(CompletableFuture.supplyAsync(() -> echo.bytes(payload), pool));
      }
      for (CompletableFuture<byte[]> call : calls) {
        assertThat(call.get(30, TimeUnit.SECONDS)).hasSize(payload.length);
      }
      calls.clear();
    }
  }
}
