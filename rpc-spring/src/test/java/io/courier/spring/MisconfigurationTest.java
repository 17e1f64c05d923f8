package io.courier.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.spring.fixtures.ConsumerApp;
import io.courier.spring.fixtures.FriendlyGreeter;
import io.courier.spring.fixtures.Greeter;
import io.courier.spring.fixtures.ProviderApp;
import io.courier.spring.internal.CourierConfigurationException;
import io.courier.spring.internal.CourierFailureAnalyzer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

/** A bad setting stops start-up with Spring Boot's failure report naming the property and what to do. */
@ExtendWith(OutputCaptureExtension.class)
class MisconfigurationTest {

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of(ConsumerApp.class, List.of("courier.registry.address=bogus://nowhere"),
            "courier.registry.address", "unknown registry scheme 'bogus'"),
        Arguments.of(ConsumerApp.class,
            List.of("courier.registry.address=zookeeper://127.0.0.1:1?connectTimeout=300ms"),
            "courier.registry.address", "cannot reach ZooKeeper at 127.0.0.1:1 within 300 ms"),
        Arguments.of(ConsumerApp.class, List.of("courier.registry.address=static://127.0.0.1:7070",
            "courier.client.serializer=yaml"), "courier.client.serializer", "yaml"),
        Arguments.of(ConsumerApp.class, List.of("courier.registry.address=static://127.0.0.1:7070",
            "courier.client.load-balancer=fastest"), "courier.client.load-balancer", "fastest"),
        Arguments.of(ConsumerApp.class, List.of("courier.registry.address=static://127.0.0.1:7070",
            "courier.client.addresses=127.0.0.1:7071"), "courier.client.addresses", "courier.registry.address"),
        Arguments.of(ConsumerApp.class, List.of(), "courier.registry.address", "neither a registry nor provider"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.carrier-pigeon.port=7000"),
            "courier.server.transports.carrier-pigeon", "carrier-pigeon"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.tcp.port=0",
            "courier.server.tls.enabled=true"), "courier.server.tls.certificate-chain", "certificate chain"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.tcp.port=0",
            "courier.server.tls.enabled=true", "courier.server.tls.certificate-chain=/no/such/server.crt",
            "courier.server.tls.private-key=/no/such/server.key"), "courier.server.tls.certificate-chain",
            "/no/such/server.crt"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.tcp.port=0",
            "courier.server.tls.certificate-chain=/etc/courier/server.crt",
            "courier.server.tls.private-key=/etc/courier/server.key"), "courier.server.tls.enabled",
            "TLS is off, so nothing reads courier.server.tls.certificate-chain, courier.server.tls.private-key"),
        Arguments.of(ConsumerApp.class, List.of("courier.client.addresses=127.0.0.1:7070",
            "courier.client.tls.trust-certificates=/etc/courier/ca.crt"), "courier.client.tls.enabled",
            "speak cleartext"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.tcp.port=0",
            "courier.server.console.allow-remote=true"), "courier.server.console.allow-remote", "console is off"),
        Arguments.of(ConsumerApp.class, List.of("courier.client.addresses=127.0.0.1:7070",
            "courier.client.tls.enabled=true", "courier.client.tls.allow-plaintext=true"),
            "courier.client.tls.allow-plaintext", "server setting"),
        Arguments.of(ConsumerApp.class, List.of("courier.client.addresses=127.0.0.1:7070",
            "courier.client.tls.enabled=true", "courier.client.tls.reload-interval=-1s"),
            "courier.client.tls.reload-interval", "must be zero or positive"),
        Arguments.of(BadReference.class, List.of("courier.client.addresses=127.0.0.1:7070"),
            "@RpcReference on BadReference.user(greeter) (timeout)", "soon"),
        Arguments.of(ConsumerApp.class, List.of("courier.client.addresses=127.0.0.1:7070",
            "courier.client.register-consumer=true"), "courier.client.register-consumer", "no registry"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.tcp.port=0",
            "courier.server.transports.tcp.reflection=true"), "courier.server.transports.tcp.reflection",
            "http2 transport only"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.tcp.port=0",
            "courier.server.transports.http2.enabled=false", "courier.server.transports.http2.reflection=true"),
            "courier.server.transports.http2.reflection", "switched off"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.http2.port=0",
            "courier.server.transports.http2.describe-services=true"),
            "courier.server.transports.http2.describe-services", "rest transport only"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.tcp.port=0",
            "courier.server.transports.rest.enabled=false", "courier.server.transports.rest.describe-services=true"),
            "courier.server.transports.rest.describe-services", "switched off"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.http2.port=0",
            "courier.server.transports.rest.port=0", "courier.server.transports.rest.describe-services=true"),
            "courier.server.transports.rest.describe-services", "the http2 listener would read it too"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.tcp.port=0",
            "courier.server.excluded-beans=gates"), "courier.server.excluded-beans",
            "'gates': names no bean that implements an @RpcService interface, so it excludes nothing (beans"
                + " exported: [friendlyGreeter, gate])"),
        Arguments.of(ProviderApp.class, List.of("courier.server.transports.tcp.port=0",
            "courier.server.auth.tokens.storefront=same-token", "courier.server.auth.tokens.billing=same-token"),
            "courier.server.auth.tokens.storefront", "the same token as courier.server.auth.tokens.billing"),
        Arguments.of(ConsumerApp.class, List.of("courier.client.addresses=127.0.0.1:7070",
            "courier.client.auth.token="), "courier.client.auth.token", "is blank"),
        Arguments.of(OwnClient.class, List.of("courier.client.tls.enabled=true",
            "courier.client.tls.trust-certificates=/etc/courier/ca.crt"), "courier.client.tls.enabled",
            "its own RpcClient bean [myClient], which the starter neither makes nor configures: nothing would read"
                + " courier.client.tls.enabled, courier.client.tls.trust-certificates"),
        Arguments.of(OwnRegistry.class, List.of("courier.registry.address=embedded"), "courier.registry.address",
            "its own Registry bean [myRegistry]"),
        Arguments.of(TwoGreeters.class, List.of("courier.server.transports.tcp.port=0"),
            "courier.server.excluded-beans", "beans 'english' and 'french' both implement "
                + Greeter.class.getName() + " and would be exported twice"));
  }

  @Test
  void aSharedTokenIsNotPrinted() {
    SpringApplicationBuilder builder = new SpringApplicationBuilder(ProviderApp.class).properties(
        "spring.main.web-application-type=none", "courier.server.transports.tcp.port=0",
        "courier.server.auth.tokens.storefront=s3cret-token", "courier.server.auth.tokens.billing=s3cret-token");
    assertThatThrownBy(builder::run).satisfies(failure -> {
      FailureAnalysis analysis = new CourierFailureAnalyzer().analyze(failure);
      assertThat(analysis.getDescription()).contains("courier.server.auth.tokens.storefront")
          .doesNotContain("s3cret-token");
    });
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("badSettings")
  void startUpFailsNamingTheProperty(Class<?> application, List<String> properties, String property,
      String mentioned) {
    SpringApplicationBuilder builder = new SpringApplicationBuilder(application)
        .properties("spring.main.web-application-type=none").properties(properties.toArray(new String[0]));
    assertThatThrownBy(builder::run).satisfies(failure -> {
      CourierConfigurationException cause = find(failure);
      assertThat(cause.property()).isEqualTo(property);
      FailureAnalysis analysis = new CourierFailureAnalyzer().analyze(failure);
      assertThat(analysis.getDescription()).contains(property).contains(mentioned);
      assertThat(analysis.getAction()).isNotBlank();
    });
  }

  @Test
  void bootPrintsTheAnalysisInsteadOfAStackTrace(CapturedOutput output) {
    // the report's text comes from CourierFailureAnalyzer, which Boot finds through META-INF/spring.factories
    assertThatThrownBy(new SpringApplicationBuilder(ConsumerApp.class).properties(
        "spring.main.web-application-type=none", "courier.registry.address=bogus://nowhere")::run);
    assertThat(output.toString()).contains("APPLICATION FAILED TO START")
        .contains("Courier could not start: courier.registry.address = 'bogus://nowhere'")
        .contains("Action:")
        .contains("Use zookeeper://host:port");
  }

  @Test
  void aPortTakenFailsNamingTheListeners() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      SpringApplicationBuilder builder = new SpringApplicationBuilder(ProviderApp.class).properties(
          "spring.main.web-application-type=none", "courier.server.host=127.0.0.1",
          "courier.server.transports.tcp.port=" + port);
      assertThatThrownBy(builder::run).satisfies(failure -> {
        assertThat(find(failure).property()).isEqualTo("courier.server.transports");
        FailureAnalysis analysis = new CourierFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("tcp:" + port + " on 127.0.0.1")
            .contains("the server could not start");
        assertThat(analysis.getAction()).contains("Choose free ports");
      });
    }
  }

  @Test
  void aGracePeriodLongerThanSpringsShutdownPhaseIsWarnedAbout(CapturedOutput output) {
    new SpringApplicationBuilder(ProviderApp.class).properties("spring.main.web-application-type=none",
        "courier.server.host=127.0.0.1", "courier.server.transports.tcp.port=0",
        "courier.server.shutdown-grace-period=45s").run().close();
    assertThat(output.toString()).contains("courier.server.shutdown-grace-period (PT45S) is longer than"
        + " spring.lifecycle.timeout-per-shutdown-phase (PT30S)");
  }

  private static CourierConfigurationException find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CourierConfigurationException c) {
        return c;
      }
    }
    throw new AssertionError("no CourierConfigurationException in " + failure, failure);
  }

  /** An application that makes its own client (and no registry): the starter's client settings do not reach it. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class OwnClient {
    @Bean
    RpcClient myClient() {
      return RpcClient.builder().address("127.0.0.1:7070").build();
    }
  }

  /** An application that makes its own registry. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class OwnRegistry {
    @Bean
    Registry myRegistry() {
      return Registries.connect("static://127.0.0.1:7070");
    }
  }

  /** Two beans that implement one service, neither excluded. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class TwoGreeters {
    @Bean
    FriendlyGreeter english() {
      return new FriendlyGreeter("Hello");
    }

    @Bean
    FriendlyGreeter french() {
      return new FriendlyGreeter("Bonjour");
    }
  }

  /** A reference whose timeout is not a duration. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class BadReference {
    @Bean
    String user(@RpcReference(timeout = "soon") Greeter greeter) {
      return "never";
    }
  }
}
