package io.courier.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.registry.Registry;
import io.courier.spring.fixtures.ConsumerApp;
import io.courier.spring.fixtures.Greeter;
import io.courier.spring.fixtures.ProviderApp;
import io.courier.spring.fixtures.ZooKeeper;
import io.courier.spring.internal.Stubs;
import io.courier.spring.internal.actuate.CourierEndpoint;
import io.courier.spring.internal.actuate.CourierSnapshot;
import io.courier.testing.Polling;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A provider application and a consumer application (this {@code @SpringBootTest}) finding each other in an
 * in-process ZooKeeper: stubs injected by type and by {@code @RpcReference}, exports chosen by {@code @RpcExport},
 * and health, metrics and the actuator endpoint after real calls.
 */
@ExtendWith(ProviderConsumerTest.Providers.class) // before @SpringBootTest: set up before the consumer, closed after it
@SpringBootTest(classes = ConsumerApp.class, properties = {
    "spring.main.web-application-type=none",
    "spring.application.name=consumer",
    "spring.jmx.enabled=true",
    "spring.jmx.unique-names=true",
    "management.endpoints.jmx.exposure.include=health,courier"})
@DirtiesContext
class ProviderConsumerTest {

  private static ZooKeeper zookeeper;
  private static ConfigurableApplicationContext provider;
  private static ConfigurableApplicationContext canary;

  @Autowired
  ConsumerApp.Greetings greetings;
  @Autowired
  ConsumerApp.RoundRobinGreetings roundRobin;
  @Autowired
  Greeter byType;
  @Autowired
  ApplicationContext consumer;

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry properties) {
    properties.add("courier.registry.address", () -> zookeeper.address());
  }

  /**
   * ZooKeeper and the two provider applications, started before the consumer context and closed after it (Spring
   * closes it on {@code @DirtiesContext}): consumer, providers, ZooKeeper.
   */
  static final class Providers implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      zookeeper = ZooKeeper.start();
      provider = provider("provider", "false", "courier.server.metadata.zone=test-1");
      canary = provider("canary", "true");
    }

    @Override
    public void afterAll(ExtensionContext context) {
      if (canary != null) {
        canary.close();
      }
      if (provider != null) {
        provider.close();
      }
      zookeeper.close();
    }

    private static ConfigurableApplicationContext provider(String name, String canary, String... more) {
      return new SpringApplicationBuilder(ProviderApp.class).properties(
          "spring.main.web-application-type=none",
          "spring.application.name=" + name,
          "test.canary=" + canary,
          "courier.registry.address=" + zookeeper.address(),
          "courier.server.host=127.0.0.1",
          "courier.server.transports.tcp.port=0",
          "spring.jmx.enabled=true",
          "spring.jmx.unique-names=true",
          "management.endpoints.jmx.exposure.include=health,courier").properties(more).run();
    }
  }

  @Test
  void stubsAreInjectedByTypeAndByRpcReferenceWithTheirOwnOptions() {
    assertThat(RpcClient.isStub(byType)).as("by type: the @EnableCourierClients stub bean").isTrue();
    assertThat(greetings.byType).isSameAs(byType);
    assertThat(byType.greet("Ann")).isEqualTo("Hello, Ann");
    assertThat(greetings.canary.greet("Ann")).as("@RpcReference(version) on a field").isEqualTo("Canary hello, Ann");
    assertThat(greetings.json.greet("Ann")).as("@RpcReference(serializer) on a setter").isEqualTo("Hello, Ann");
    assertThat(roundRobin.greeter().greet("Ann")).as("@RpcReference on a @Bean parameter").isEqualTo("Hello, Ann");
    assertThat(greetings.canary).isNotSameAs(byType);

    Stubs stubs = consumer.getBean(Stubs.class);
    assertThat(stubs.entries()).extracting(e -> e.reference().options()).containsExactlyInAnyOrder(
        Map.of(), Map.of("version", "2"), Map.of("serializer", "json"),
        Map.of("loadBalancer", "round-robin", "timeout", "3s"), Map.of() /* the Gate stub bean */);
    assertThat(stubs.entries()).flatExtracting(e -> List.copyOf(e.injectedInto())).contains(
        "Greetings.canary", "Greetings.setJson(...)", "ConsumerApp.roundRobinGreetings(greeter)",
        Stubs.SCANNED);
  }

  @Test
  void onlyExportedBeansAreRegisteredAndTheConsumerIsNotAProvider() {
    CourierSnapshot snapshot = provider.getBean(CourierEndpoint.class).courier();
    assertThat(snapshot.application()).isEqualTo("provider");
    assertThat(snapshot.registry().connected()).isTrue();
    assertThat(snapshot.server().running()).isTrue();
    assertThat(snapshot.server().services()).extracting(CourierSnapshot.ExportState::bean,
        CourierSnapshot.ExportState::service, CourierSnapshot.ExportState::version,
        CourierSnapshot.ExportState::registered).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("friendlyGreeter", "spring.test.Greeter", "", true),
            org.assertj.core.groups.Tuple.tuple("gate", "spring.test.Gate", "", true));
    assertThat(canary.getBean(CourierEndpoint.class).courier().server().services())
        .extracting(CourierSnapshot.ExportState::bean, CourierSnapshot.ExportState::version)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("canaryGreeter", "2"));
    // the registrations carry the application name and the configured labels
    Registry registry = provider.getBean(Registry.class);
    assertThat(registry.isConnected()).isTrue();
    var registrations = provider.getBean(io.courier.spring.internal.ServerLifecycle.class).server().registrations();
    assertThat(registrations).allSatisfy(i -> {
      assertThat(i.metadata()).containsEntry("application", "provider").containsEntry("zone", "test-1");
      assertThat(i.host()).isEqualTo("127.0.0.1");
    });

    CourierSnapshot consumerView = consumer.getBean(CourierEndpoint.class).courier();
    assertThat(consumerView.server().services()).as("stub beans are never exported").isEmpty();
    assertThat(consumerView.server().running()).isFalse();
  }

  @Test
  void healthAndMetricsReflectRealCalls() {
    MeterRegistry consumerMeters = consumer.getBean(MeterRegistry.class);
    MeterRegistry providerMeters = provider.getBean(MeterRegistry.class);
    long before = count(consumerMeters, "courier.client.calls", "OK");
    for (int i = 0; i < 5; i++) {
      assertThat(byType.greet("n" + i)).isEqualTo("Hello, n" + i);
    }
    assertThatThrownBy(() -> byType.fail("on purpose")).isInstanceOf(IllegalStateException.class)
        .hasMessage("on purpose");

    assertThat(count(consumerMeters, "courier.client.calls", "OK") - before).isEqualTo(5);
    assertThat(count(consumerMeters, "courier.client.calls", "UNKNOWN")).isGreaterThanOrEqualTo(1);
    assertThat(consumerMeters.get("courier.client.errors").tag("service", "spring.test.Greeter")
        .tag("method", "fail").tag("status", "UNKNOWN").counter().count()).isGreaterThanOrEqualTo(1);
    assertThat(consumerMeters.get("courier.client.calls.active").tag("method", "greet").gauge().value()).isZero();
    // the server records when it has answered, which may be a moment after the client saw the answer
    Polling.await("the provider's meters", () -> count(providerMeters, "courier.server.calls", "OK") >= 5
        && count(providerMeters, "courier.server.calls", "UNKNOWN") >= 1);
    Timer served = providerMeters.get("courier.server.calls").tag("method", "greet").tag("status", "OK").timer();
    assertThat(served.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    assertThat(consumerMeters.find("courier.rpc.client").timers()).as("observations also time calls").isNotEmpty();

    Health consumerHealth = consumer.getBean("courierHealthIndicator", HealthIndicator.class).health();
    assertThat(consumerHealth.getStatus()).isEqualTo(Status.UP);
    assertThat(consumerHealth.getDetails()).containsEntry("providers", Map.of("spring.test.Greeter", 1,
        "spring.test.Greeter:2", 1, "spring.test.Gate", 1));
    assertThat(consumerHealth.getDetails().get("registry")).isEqualTo(Map.of("address", zookeeper.address()
        + "/courier", "connected", true));

    Health providerHealth = provider.getBean("courierHealthIndicator", HealthIndicator.class).health();
    assertThat(providerHealth.getStatus()).isEqualTo(Status.UP);
    @SuppressWarnings("unchecked")
    Map<String, Object> server = (Map<String, Object>) providerHealth.getDetails().get("server");
    assertThat(server).containsEntry("running", true).containsEntry("services", 2).containsEntry("registered", 2L);
  }

  @Test
  void theEndpointListsReferencesWithTheirProviders() {
    byType.greet("warm-up");
    CourierSnapshot snapshot = consumer.getBean(CourierEndpoint.class).courier();
    int port = canary.getBean(io.courier.spring.internal.ServerLifecycle.class).server().port();
    assertThat(snapshot.references()).filteredOn(r -> r.version().equals("2")).singleElement().satisfies(r -> {
      assertThat(r.service()).isEqualTo("spring.test.Greeter");
      assertThat(r.injectedInto()).containsExactly("Greetings.canary");
      assertThat(r.providers()).containsExactly("127.0.0.1:" + port);
    });
  }

  @Test
  void interceptorBeansOfTheApplicationRunOnEveryCall() {
    assertThat(byType.header("x-tenant")).isEqualTo("acme");
    assertThat(greetings.canary.header("x-tenant")).isEqualTo("acme");
    assertThat(byType.header("x-other")).isEqualTo("-");
  }

  private static long count(MeterRegistry meters, String name, String status) {
    return meters.find(name).tag("service", "spring.test.Greeter").tag("status", status).timers().stream()
        .mapToLong(Timer::count).sum();
  }
}
