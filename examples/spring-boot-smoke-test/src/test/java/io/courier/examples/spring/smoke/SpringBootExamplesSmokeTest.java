package io.courier.examples.spring.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.examples.spring.consumer.ConsumerApplication;
import io.courier.examples.spring.provider.ProviderApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Both examples as the README runs them, with their own application.yml, here on an in-process ZooKeeper and free
 * ports: the consumer's HTTP endpoint calls the provider it found in ZooKeeper, and its actuator shows Courier's
 * health, metrics and endpoint.
 */
class SpringBootExamplesSmokeTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  @SuppressWarnings("try") // the provider runs while the consumer is called
  void theConsumersEndpointCallsTheProvider() throws Exception {
    try (TestingServer zookeeper = new TestingServer(true)) {
      // Both examples' application.yml are on this class path under the same name, so each application is pointed
      // at its own file; command-line arguments then override the fixed ports and addresses for the test.
      String registry = "--courier.registry.address=zookeeper://" + zookeeper.getConnectString();
      try (ConfigurableApplicationContext provider = new SpringApplicationBuilder(ProviderApplication.class)
          .run(config("spring-boot-provider"), registry, "--courier.server.transports.tcp.port=0",
              "--spring.main.keep-alive=false");
          ConfigurableApplicationContext consumer = new SpringApplicationBuilder(ConsumerApplication.class)
              .run(config("spring-boot-consumer"), registry, "--server.port=0",
                  "--courier.client.default-timeout=10s")) { // a first call may be slow on a busy build machine
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

  /** {@code --spring.config.location=} the example's own application.yml, from the source tree. */
  private static String config(String example) {
    Path file = Path.of(System.getProperty("basedir", "."), "..", example, "src", "main", "resources",
        "application.yml").normalize();
    assertThat(file).as("the example's configuration").isRegularFile();
    return "--spring.config.location=file:" + file;
  }

  private String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + " answered " + response.body()).isEqualTo(200);
    return response.body();
  }
}
