package io.courier.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.cluster.ClusterMode;
import io.courier.common.CallOptions;
import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import io.courier.server.RpcServer;
import io.courier.spring.autoconfigure.CourierAutoConfiguration;
import io.courier.spring.fixtures.ConsumerApp;
import io.courier.spring.fixtures.Gate;
import io.courier.spring.fixtures.Greeter;
import io.courier.spring.fixtures.OpenableGate;
import io.courier.spring.fixtures.ProviderApp;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.testing.TestCertificates;
import io.courier.transport.TlsConfig;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code courier.*}: binding, the metadata IDEs read, and real servers and clients built from it. */
class CourierPropertiesTest {

  @Test
  void everyPropertyBinds() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CourierAutoConfiguration.class))
        .withPropertyValues(
            "courier.application.name=shop",
            "courier.server.enabled=false",
            "courier.server.host=127.0.0.1",
            "courier.server.advertised-host=shop.example.com",
            "courier.server.transports.tcp.port=7070",
            "courier.server.transports.http2.port=7071",
            "courier.server.transports.http2.enabled=false",
            "courier.server.transports.http2.reflection=true",
            "courier.server.transports.rest.describe-services=true",
            "courier.server.worker-threads=8",
            "courier.server.worker-queue=0",
            "courier.server.shutdown-grace-period=3s",
            "courier.server.weight=7",
            "courier.server.metadata.zone=eu-1",
            "courier.server.excluded-beans=a,b",
            "courier.server.tls.enabled=true",
            "courier.server.tls.certificate-chain=/etc/courier/server.crt",
            "courier.server.tls.client-auth=require",
            "courier.server.tls.protocols=TLSv1.3",
            "courier.server.tls.provider=jdk",
            "courier.server.tls.allow-plaintext=true",
            "courier.server.tls.reload-interval=5s",
            "courier.server.auth.tokens.billing=s3cret",
            "courier.server.console.enabled=true",
            "courier.server.console.allow-remote=true",
            "courier.client.enabled=false",
            "courier.client.transport=tcp",
            "courier.client.serializer=json",
            "courier.client.default-timeout=750ms",
            "courier.client.load-balancer=least-active",
            "courier.client.cluster-mode=failfast",
            "courier.client.addresses=10.0.0.1:7070,10.0.0.2:7070",
            "courier.client.register-consumer=true",
            "courier.client.tls.trust-certificates=/etc/courier/ca.crt",
            "courier.client.auth.token=t0ken",
            "courier.metrics.enabled=false",
            "courier.observation.enabled=false")
        .run(context -> {
          CourierProperties p = context.getBean(CourierProperties.class);
          assertThat(p.getApplication().getName()).isEqualTo("shop");
          CourierProperties.Server s = p.getServer();
          assertThat(s.isEnabled()).isFalse();
          assertThat(s.getHost()).isEqualTo("127.0.0.1");
          assertThat(s.getAdvertisedHost()).isEqualTo("shop.example.com");
          assertThat(s.getTransports()).containsOnlyKeys("tcp", "http2", "rest");
          assertThat(s.getTransports().get("tcp").getPort()).isEqualTo(7070);
          assertThat(s.getTransports().get("tcp").isReflection()).isFalse();
          assertThat(s.getTransports().get("tcp").isDescribeServices()).isFalse();
          assertThat(s.getTransports().get("http2").isEnabled()).isFalse();
          assertThat(s.getTransports().get("http2").isReflection()).isTrue();
          assertThat(s.getTransports().get("rest").isDescribeServices()).isTrue();
          assertThat(s.getWorkerThreads()).isEqualTo(8);
          assertThat(s.getWorkerQueue()).isZero();
          assertThat(s.getShutdownGracePeriod()).isEqualTo(Duration.ofSeconds(3));
          assertThat(s.getWeight()).isEqualTo(7);
          assertThat(s.getMetadata()).containsExactly(Map.entry("zone", "eu-1"));
          assertThat(s.getExcludedBeans()).containsExactly("a", "b");
          assertThat(s.getTls().isEnabled()).isTrue();
          assertThat(s.getTls().getCertificateChain()).isEqualTo(Path.of("/etc/courier/server.crt"));
          assertThat(s.getTls().getClientAuth()).isEqualTo(TlsConfig.ClientAuth.REQUIRE);
          assertThat(s.getTls().getProtocols()).containsExactly("TLSv1.3");
          assertThat(s.getTls().getProvider()).isEqualTo(TlsConfig.Provider.JDK);
          assertThat(s.getTls().isAllowPlaintext()).isTrue();
          assertThat(s.getTls().getReloadInterval()).isEqualTo(Duration.ofSeconds(5));
          assertThat(s.getAuth().getTokens()).containsExactly(Map.entry("billing", "s3cret"));
          assertThat(s.getConsole().isEnabled()).isTrue();
          assertThat(s.getConsole().isAllowRemote()).isTrue();
          CourierProperties.Client c = p.getClient();
          assertThat(c.isEnabled()).isFalse();
          assertThat(c.getSerializer()).isEqualTo("json");
          assertThat(c.getDefaultTimeout()).isEqualTo(Duration.ofMillis(750));
          assertThat(c.getLoadBalancer()).isEqualTo("least-active");
          assertThat(c.getClusterMode()).isEqualTo(ClusterMode.FAILFAST);
          assertThat(c.getAddresses()).containsExactly("10.0.0.1:7070", "10.0.0.2:7070");
          assertThat(c.isRegisterConsumer()).isTrue();
          assertThat(c.getTls().getTrustCertificates()).isEqualTo(Path.of("/etc/courier/ca.crt"));
          assertThat(c.getAuth().getToken()).isEqualTo("t0ken");
          assertThat(p.getMetrics().isEnabled()).isFalse();
          assertThat(p.getObservation().isEnabled()).isFalse();
          assertThat(context).doesNotHaveBean(ServerLifecycle.class).doesNotHaveBean(io.courier.client.RpcClient.class);
        });
  }

  @Test
  void theJarCarriesMetadataDescribingEveryProperty() throws Exception {
    JsonNode metadata = null;
    for (URL url : Collections.list(getClass().getClassLoader()
        .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = url.openStream()) {
        JsonNode node = JsonMapper.builder().build().readTree(in);
        if (node.path("groups").toString().contains("\"courier\"")) {
          metadata = node;
        }
      }
    }
    assertThat(metadata).as("the starter's generated metadata").isNotNull();
    List<String> names = new ArrayList<>();
    for (JsonNode property : metadata.get("properties")) {
      String name = property.get("name").asString();
      names.add(name);
      if (name.startsWith("courier.")) {
        assertThat(property.path("description").asString()).as("description of " + name).isNotBlank();
      }
    }
    assertThat(names).contains("courier.application.name", "courier.registry.address",
        "courier.server.transports", "courier.server.host", "courier.server.advertised-host",
        "courier.server.shutdown-grace-period", "courier.server.worker-threads", "courier.server.tls.certificate-chain",
        "courier.server.auth.tokens", "courier.server.console.enabled", "courier.server.console.allow-remote",
        "courier.client.serializer", "courier.client.default-timeout",
        "courier.client.load-balancer", "courier.client.cluster-mode", "courier.client.tls.trust-certificates",
        "courier.client.auth.token", "courier.metrics.enabled", "courier.observation.enabled",
        "management.health.courier.enabled", "courier.dependency-check.enabled",
        "courier.server.transports.http2.reflection", "courier.server.transports.rest.describe-services");
    assertThat(defaultOf(metadata, "courier.client.default-timeout")).isEqualTo("5s");
    assertThat(defaultOf(metadata, "courier.server.worker-threads")).isEqualTo("200");
    assertThat(defaultOf(metadata, "courier.client.load-balancer")).isEqualTo("p2c");
    assertThat(defaultOf(metadata, "courier.server.console.enabled")).isEqualTo("false");
    assertThat(defaultOf(metadata, "courier.server.console.allow-remote")).isEqualTo("false");
    assertThat(defaultOf(metadata, "courier.server.transports.http2.reflection")).isEqualTo("false");
    assertThat(defaultOf(metadata, "courier.server.transports.rest.describe-services")).isEqualTo("false");
    List<String> hinted = new ArrayList<>();
    metadata.get("hints").forEach(h -> hinted.add(h.get("name").asString()));
    assertThat(hinted).contains("courier.client.load-balancer", "courier.client.serializer",
        "courier.server.transports.keys");
  }

  @Test
  void serverAndClientFollowTheirPropertiesOverTlsWithTokensAndAnEmbeddedZooKeeper(@TempDir Path dir) {
    TestCertificates pki = TestCertificates.create(dir);
    try (ConfigurableApplicationContext provider = tlsProvider(pki,
        "courier.application.name=shop",
        "courier.registry.address=embedded",
        "courier.server.advertised-host=localhost",
        "courier.server.weight=7",
        "courier.server.worker-threads=4",
        "courier.server.metadata.zone=eu-1",
        "courier.server.auth.tokens.storefront=s3cret")) {
      RpcServer server = provider.getBean(ServerLifecycle.class).server();
      ServiceInstance greeter = server.registrations().stream()
          .filter(i -> i.service().equals("spring.test.Greeter")).findFirst().orElseThrow();
      assertThat(greeter.host()).isEqualTo("localhost");
      assertThat(greeter.weight()).isEqualTo(7);
      assertThat(greeter.metadata()).containsEntry("application", "shop").containsEntry("zone", "eu-1");
      String zookeeper = provider.getBean(Registry.class).describe(); // the embedded server, as zookeeper://...

      try (ConfigurableApplicationContext consumer = consumer(zookeeper, pki, "s3cret", "300ms");
          ConfigurableApplicationContext stranger = consumer(zookeeper, pki, "wrong", "5s")) {
        ConsumerApp.Greetings greetings = consumer.getBean(ConsumerApp.Greetings.class);
        // the first call also connects and shakes hands: give it more than the 300 ms default under test
        Greeter patient = consumer.getBean(RpcClient.class).withOptions(greetings.byType,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)));
        assertThat(patient.greet("over TLS")).isEqualTo("Hello, over TLS");
        assertThatThrownBy(() -> consumer.getBean(Gate.class).pass("late"))
            .as("courier.client.default-timeout").isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
        assertThatThrownBy(() -> stranger.getBean(ConsumerApp.Greetings.class).byType.greet("x"))
            .isInstanceOfSatisfying(RpcException.class, e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNAUTHENTICATED);
              assertThat(e.getMessage()).contains("the bearer token was not accepted");
            });
      } finally {
        provider.getBean(OpenableGate.class).open(); // let the timed-out call's worker go before the drain
      }
    }
  }

  @Test
  void clientAuthRequireRefusesAClientWithoutACertificateAndServesOneWithIt(@TempDir Path dir) {
    TestCertificates pki = TestCertificates.create(dir);
    try (ConfigurableApplicationContext provider = tlsProvider(pki,
        "courier.server.tls.trust-certificates=" + pki.caCertificate(),
        "courier.server.tls.client-auth=require")) {
      String address = "127.0.0.1:" + provider.getBean(ServerLifecycle.class).server().port();
      List<String> trust = List.of("courier.client.tls.enabled=true",
          "courier.client.tls.trust-certificates=" + pki.caCertificate(), "courier.client.default-timeout=10s",
          "courier.client.addresses=" + address);
      List<String> withCertificate = new ArrayList<>(trust);
      withCertificate.add("courier.client.tls.certificate-chain=" + pki.clientChain());
      withCertificate.add("courier.client.tls.private-key=" + pki.clientKey());
      try (ConfigurableApplicationContext anonymous = consumerWith(trust);
          ConfigurableApplicationContext known = consumerWith(withCertificate)) {
        assertThatThrownBy(() -> anonymous.getBean(ConsumerApp.Greetings.class).byType.greet("no certificate"))
            .isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
        assertThat(known.getBean(ConsumerApp.Greetings.class).byType.greet("certified"))
            .isEqualTo("Hello, certified");
      }
    }
  }

  /** The provider application on a free loopback port with TLS (the test CA's server certificate), and {@code more}. */
  private static ConfigurableApplicationContext tlsProvider(TestCertificates pki, String... more) {
    return new SpringApplicationBuilder(ProviderApp.class).properties(
        "spring.main.web-application-type=none",
        "courier.server.host=127.0.0.1",
        "courier.server.transports.tcp.port=0",
        "courier.server.tls.enabled=true",
        "courier.server.tls.certificate-chain=" + pki.serverChain(),
        "courier.server.tls.private-key=" + pki.serverKey()).properties(more).run();
  }

  private static ConfigurableApplicationContext consumerWith(List<String> properties) {
    return new SpringApplicationBuilder(ConsumerApp.class).properties("spring.main.web-application-type=none")
        .properties(properties.toArray(new String[0])).run();
  }

  private static ConfigurableApplicationContext consumer(String zookeeper, TestCertificates pki, String token,
      String timeout) {
    return consumerWith(List.of(
        "courier.registry.address=" + zookeeper,
        "courier.client.default-timeout=" + timeout,
        "courier.client.tls.enabled=true",
        "courier.client.tls.trust-certificates=" + pki.caCertificate(),
        "courier.client.auth.token=" + token));
  }

  private static String defaultOf(JsonNode metadata, String name) {
    for (JsonNode property : metadata.get("properties")) {
      if (property.get("name").asString().equals(name)) {
        return property.path("defaultValue").asString();
      }
    }
    throw new AssertionError("no property " + name);
  }
}
