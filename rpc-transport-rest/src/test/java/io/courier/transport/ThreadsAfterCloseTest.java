package io.courier.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.Polling;
import io.courier.transport.rest.RestOptions;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closing a server and a client ends every thread they started — event loops, workers, callback pools, timers —
 * on every transport, so that a program that closes what it created can exit without waiting.
 */
class ThreadsAfterCloseTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest", "rest-h2"})
  void noCourierThreadOutlivesClose(String transport) {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    String listener = transport.startsWith("rest") ? "rest" : transport;
    RpcServer server = RpcServer.builder().host("127.0.0.1").listen(listener, 0)
        .service(EchoService.class, new EchoServiceImpl()).build().start();
    RpcClient.Builder builder = RpcClient.builder().address("127.0.0.1:" + server.port())
        .transport(listener).serializer(listener.equals("rest") ? "json" : "kryo");
    if (transport.equals("rest-h2")) {
      builder.option(RestOptions.HTTP2, true);
    }
    RpcClient client = builder.build();
    assertThat(client.create(EchoService.class).echoAsync("x").join()).isEqualTo("x!");
    client.close();
    server.close();
    try {
      Polling.await("every thread the server and client started ended", Duration.ofSeconds(15),
          () -> started(before).isEmpty());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; still alive: " + started(before), e);
    }
  }

  private static Set<String> started(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("courier"))
        .map(Thread::getName).collect(Collectors.toSet());
  }
}
