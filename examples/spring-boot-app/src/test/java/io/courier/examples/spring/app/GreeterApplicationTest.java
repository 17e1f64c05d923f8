package io.courier.examples.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.Version;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.cfg.PackageVersion;

/**
 * The application as its users start it: spring-boot-starter-parent's dependency versions, the starter from the BOM,
 * application.yml (Courier's port made free for the test). A call made through a stub goes through the embedded
 * ZooKeeper and the TCP transport to the bean this application serves.
 */
@SpringBootTest(properties = {"courier.server.transports.tcp.port=0", "spring.main.keep-alive=false"})
class GreeterApplicationTest {

  @Autowired
  Greetings greetings;

  @BeforeEach
  void providerRegistered() {
    // the application registers Greeter once it is ready; its own stubs learn of it from ZooKeeper a moment later
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> greetings.greet("first") != null);
  }

  @Test
  void callsTheServiceThroughCourier() {
    assertThat(greetings.greet("Ann")).isEqualTo("Hello, Ann!");
  }

  @Test
  void callsItWithJsonThroughSpringBootsJackson() {
    assertThat(greetings.greetInJson("Bo")).isEqualTo("Hello, Bo!");
  }

  @Test
  void runsOnTheVersionsSpringBootsParentManages() {
    // Netty: spring-boot-starter-parent's property netty.version, which this pom sets; Jackson: Boot's own choice
    assertThat(Version.identify().get("netty-common").artifactVersion())
        .isEqualTo(System.getProperty("expected.netty.version"));
    assertThat(PackageVersion.VERSION.toString()).isEqualTo(System.getProperty("expected.jackson.version"));
  }
}
