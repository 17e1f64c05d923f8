package io.courier.examples.spring.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.examples.spring.api.Greeter;
import io.courier.registry.Registry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The provider starts as configured (embedded ZooKeeper, on free ports here) and answers a client that finds it. */
class ProviderApplicationTest {

  @Test
  void registersInItsEmbeddedZooKeeperAndAnswers() {
    // command-line arguments override application.yml (its embedded?port=2181 and tcp port 7070)
    try (ConfigurableApplicationContext provider = new SpringApplicationBuilder(ProviderApplication.class)
        .run("--courier.registry.address=embedded", "--courier.server.transports.tcp.port=0",
            "--spring.main.keep-alive=false")) {
      String zookeeper = provider.getBean(Registry.class).describe(); // zookeeper://127.0.0.1:<free port>/courier
      try (RpcClient client = RpcClient.builder().registry(zookeeper).build()) {
        Greeter greeter = client.create(Greeter.class);
        assertThat(greeter.greet("Ann")).isEqualTo(new Greeter.Greeting("Hello, Ann!", "greeter-provider"));
        assertThat(provider.getEnvironment().getProperty("spring.main.web-application-type")).isEqualTo("none");
      }
    }
  }
}
