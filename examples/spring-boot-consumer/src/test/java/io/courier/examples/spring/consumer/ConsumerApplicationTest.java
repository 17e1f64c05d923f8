package io.courier.examples.spring.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.examples.spring.api.Greeter;
import io.courier.server.RpcServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The consumer on its own: its endpoint calls whatever serves {@code Greeter} — here a stand-in server named by a
 * static:// registry address instead of ZooKeeper. (SpringBootExamplesSmokeTest runs it with the real provider.)
 */
class ConsumerApplicationTest {

  @Test
  void theEndpointAnswersWithWhatTheProviderSaid() throws Exception {
    RpcServer standIn = RpcServer.builder().host("127.0.0.1").port(0)
        .service(Greeter.class, name -> new Greeter.Greeting("Hi " + name, "stand-in")).build().start();
    try (ConfigurableApplicationContext consumer = new SpringApplicationBuilder(ConsumerApplication.class)
        .run("--courier.registry.address=static://127.0.0.1:" + standIn.port(), "--server.port=0",
            "--courier.client.default-timeout=10s")) { // a first call may be slow on a busy build machine
      String port = consumer.getEnvironment().getProperty("local.server.port");
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/greet?name=Ann")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"greeting\":\"Hi Ann\"").contains("\"from\":\"stand-in\"");

      standIn.close(); // no provider left: the endpoint says so with 503
      HttpResponse<String> down = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/greet?name=Ann")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
      assertThat(down.body()).contains("\"error\":\"UNAVAILABLE\"");
    } finally {
      standIn.close(); // idempotent
    }
  }
}
