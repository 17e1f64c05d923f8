package io.courier.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.auth.BearerAuth;
import io.courier.client.RpcClient;
import io.courier.common.RpcService;
import io.courier.console.ConsoleOptions;
import io.courier.server.RpcServer;
import io.courier.testing.Polling;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's registry side against a real ZooKeeper (curator-test): {@code api/providers} follows providers as they
 * register and leave, {@code api/offline} takes the server out of a second client's view and {@code api/online} puts
 * it back, and try-it calls go through the cluster.
 */
class ConsoleProvidersTest {

  @RpcService(name = "test.Greeter")
  public interface Greeter {
    String greet(String name);
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOKEN = "Bearer ops-token";

  @RegisterExtension
  final TestZooKeeper zookeeper = new TestZooKeeper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().host("127.0.0.1").listen("tcp", 0).listen("rest", 0)
        .registry("zookeeper://" + zookeeper.getConnectString())
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("ops-token", "ops"))))
        .console(ConsoleOptions.builder().build())
        .service(Greeter.class, name -> "hello " + name + " from the console's server")
        .build().start();
    zookeeper.closeAfter(server);
  }

  private Map<String, Object> send(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port("rest")
        + "/courier/console/" + path)).timeout(Duration.ofSeconds(10)).header("authorization", TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return map(JSON.readValue(response.body(), Map.class));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  /** The providers {@code api/providers} lists for the greeter. */
  private List<Map<String, Object>> providers() {
    Map<String, Object> greeter = map(list(send("GET", "api/providers", null).get("services")).get(0));
    assertThat(greeter).containsEntry("service", "test.Greeter");
    return list(greeter.get("providers")).stream().map(ConsoleProvidersTest::map).toList();
  }

  @Test
  void providersAppearAndLeaveAsTheyRegisterAndStop() {
    Polling.await("the console's own registration", () -> providers().size() == 1);
    Map<String, Object> self = providers().get(0);
    assertThat(self).containsEntry("self", true).containsEntry("address", "127.0.0.1")
        .containsEntry("ports", Map.of("tcp", server.port("tcp"), "rest", server.port("rest")))
        .containsEntry("weight", 100);
    assertThat(send("GET", "api/providers", null).get("registry").toString()).startsWith("zookeeper://");

    RpcServer other = RpcServer.builder().host("127.0.0.1").listen("tcp", 0).metadata("zone", "b")
        .registry("zookeeper://" + zookeeper.getConnectString())
        .service(Greeter.class, name -> "hello " + name + " from the other").build().start();
    zookeeper.closeAfter(other);
    Polling.await("the second provider in the console", () -> providers().size() == 2);
    Map<String, Object> second = providers().stream().filter(p -> p.get("self").equals(false)).findFirst()
        .orElseThrow();
    assertThat(second).containsEntry("ports", Map.of("tcp", other.port("tcp")))
        .containsEntry("metadata", Map.of("zone", "b"));

    other.close();
    Polling.await("the second provider gone from the console", () -> providers().size() == 1);
    assertThat(providers().get(0)).containsEntry("self", true);
  }

  /** A second provider of the greeter: a client keeps its last known providers when the registry lists none. */
  private RpcServer other() {
    RpcServer other = RpcServer.builder().host("127.0.0.1").listen("tcp", 0)
        .registry("zookeeper://" + zookeeper.getConnectString())
        .service(Greeter.class, name -> "hello " + name + " from the other").build().start();
    zookeeper.closeAfter(other);
    return other;
  }

  @Test
  void offlineTakesTheServerOutOfAnotherClientsViewAndOnlinePutsItBack() {
    RpcServer other = other();
    RpcClient client = RpcClient.builder().registry("zookeeper://" + zookeeper.getConnectString()).build();
    zookeeper.closeAfter(client);
    Greeter greeter = client.create(Greeter.class);
    Polling.await("both servers in the client's view", () -> client.providers(greeter).size() == 2);
    assertThat(map(send("GET", "api/server", null).get("actions"))).containsEntry("offline", true)
        .containsEntry("online", false);

    assertThat(send("POST", "api/offline", null)).containsEntry("registered", false).containsEntry("state", "RUNNING");
    Polling.await("the server gone from the client's view", () -> client.providers(greeter).size() == 1);
    assertThat(client.providers(greeter).get(0).port()).isEqualTo(other.port("tcp"));
    Polling.await("the server gone from the console's view", () -> providers().size() == 1);
    assertThat(providers().get(0)).containsEntry("self", false);
    assertThat(server.registrations()).isEmpty();
    assertThat(map(send("GET", "api/server", null).get("actions"))).containsEntry("offline", false)
        .containsEntry("online", true);
    // taken out, not stopped: it still answers a caller that has its address
    try (RpcClient direct = RpcClient.builder().address("127.0.0.1:" + server.port("tcp"))
        .interceptor(BearerAuth.client(() -> "ops-token")).build()) {
      assertThat(direct.create(Greeter.class).greet("bo")).isEqualTo("hello bo from the console's server");
    }

    assertThat(send("POST", "api/online", null)).containsEntry("registered", true);
    Polling.await("the server back in the client's view", () -> client.providers(greeter).size() == 2);
  }

  @Test
  void tryItGoesThroughTheClusterAndMarksTheProviderServing() {
    Polling.await("the console's own registration", () -> providers().size() == 1);
    assertThat(providers().get(0)).containsEntry("health", "UNKNOWN");
    Map<String, Object> answer = send("POST", "api/call?service=test.Greeter&method=greet", "[\"ada\"]");
    assertThat(answer).containsEntry("status", "OK")
        .containsEntry("result", "hello ada from the console's server");
    assertThat(providers().get(0)).containsEntry("health", "SERVING").containsEntry("ejected", false);

    other();
    send("POST", "api/offline", null);
    Polling.await("only the other provider listed", () -> providers().size() == 1
        && providers().get(0).get("self").equals(false));
    // through the cluster: the call goes to the provider still registered
    assertThat(send("POST", "api/call?service=test.Greeter&method=greet", "[\"ada\"]"))
        .containsEntry("status", "OK").containsEntry("result", "hello ada from the other");
  }
}
