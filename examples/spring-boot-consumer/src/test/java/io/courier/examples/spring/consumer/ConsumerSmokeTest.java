package io.courier.examples.spring.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.examples.spring.provider.ProviderApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Both examples as the README runs them, here on an in-process ZooKeeper and free ports: the consumer's HTTP
 * endpoint calls the provider it found in ZooKeeper, and its actuator shows Courier's health, metrics and endpoint.
 */
class ConsumerSmokeTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void theConsumersEndpointCallsTheProvider() throws Exception {
    try (TestingServer zookeeper = new TestingServer(true)) {
      // Command-line arguments override application.yml (fixed ports there, free ports here). Both examples'
      // application.yml are on this class path and the consumer's is found first, so the provider gets the settings
      // of its own application.yml as arguments (ProviderApplicationTest runs it with its own file).
      String registry = "--courier.registry.address=zookeeper://" + zookeeper.getConnectString();
      try (ConfigurableApplicationContext provider = new SpringApplicationBuilder(ProviderApplication.class)
          .run(registry, "--courier.server.transports.tcp.port=0", "--spring.main.keep-alive=false",
              "--spring.application.name=greeter-provider", "--spring.main.web-application-type=none");
          ConfigurableApplicationContext consumer = new SpringApplicationBuilder(ConsumerApplication.class)
              .run(registry, "--server.port=0")) {
        String base = "http://127.0.0.1:" + consumer.getEnvironment().getProperty("local.server.port");

        assertThat(get(base + "/greet?name=Ann")).contains("\"greeting\":\"Hello, Ann!\"")
            .contains("\"from\":\"greeter-provider\"");
        assertThat(get(base + "/greet/quick?name=Bo")).contains("Hello, Bo!");

        String health = get(base + "/actuator/health");
        assertThat(health).contains("\"courier\":{").contains("\"status\":\"UP\"")
            .contains("\"io.courier.examples.spring.api.Greeter\":1");
        String courier = get(base + "/actuator/courier");
        assertThat(courier).contains("\"injectedInto\":[\"GreetingController(quickGreeter)\"]")
            .contains("\"loadBalancer\":\"least-active\"")
            .contains("\"application\":\"greeter-consumer\"");
        assertThat(get(base + "/actuator/metrics/courier.client.calls")).contains("\"COUNT\"");
      }
    }
  }

  private String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + " answered " + response.body()).isEqualTo(200);
    return response.body();
  }
}
