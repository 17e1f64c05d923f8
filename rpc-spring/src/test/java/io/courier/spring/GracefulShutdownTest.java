package io.courier.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import io.courier.spring.fixtures.Gate;
import io.courier.spring.fixtures.OpenableGate;
import io.courier.spring.fixtures.ProviderApp;
import io.courier.spring.fixtures.ZooKeeper;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.testing.Polling;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The provider's lifecycle against a real ZooKeeper: registered only once the application is ready; at shutdown
 * deregistered first, while the port still accepts, then a call in flight completes, then the port closes.
 */
class GracefulShutdownTest {

  private static final String GATE_PROVIDERS = "/courier/spring.test.Gate/providers";

  /** What the probe saw; static because Spring builds the probe. */
  static final AtomicReference<List<String>> providersWhenAcceptingStops = new AtomicReference<>();
  static final AtomicReference<Boolean> portOpenWhenAcceptingStops = new AtomicReference<>();
  static final AtomicInteger registrationsSeenByRunner = new AtomicInteger(-1);
  static volatile CuratorFramework watcher;

  private ZooKeeper zookeeper;
  private ExecutorService callers;

  @BeforeEach
  void start() {
    zookeeper = ZooKeeper.start();
    watcher = CuratorFrameworkFactory.newClient(zookeeper.connectString(), new RetryOneTime(100));
    watcher.start();
    callers = Executors.newSingleThreadExecutor();
  }

  /** Closes in reverse order of use: callers, the ZooKeeper client, ZooKeeper. */
  @AfterEach
  void stop() throws InterruptedException {
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    watcher.close();
    zookeeper.close();
  }

  @Test
  void registersOnlyOnceTheApplicationIsReady() throws Exception {
    try (ConfigurableApplicationContext provider = provider()) {
      assertThat(registrationsSeenByRunner.get()).as("registrations while runners ran").isZero();
      assertThat(providers()).hasSize(1);
      assertThat(provider.getBean(ServerLifecycle.class).server().registrations()).hasSize(2); // Greeter and Gate
    }
    assertThat(providers()).isEmpty();
  }

  @Test
  void deregistersFirstThenLetsTheCallInFlightFinishThenClosesThePort() throws Exception {
    ConfigurableApplicationContext provider = provider();
    int port = provider.getBean(ServerLifecycle.class).server().port();
    OpenableGate gate = provider.getBean(OpenableGate.class);
    try (RpcClient client = RpcClient.builder().registry(zookeeper.address()).build()) {
      Gate stub = client.create(Gate.class, io.courier.common.CallOptions.DEFAULT
          .withTimeout(java.time.Duration.ofSeconds(20)));
      CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> stub.pass("slow"), callers);
      Polling.await("the call to reach the service", () -> gate.waiting() == 1);

      CompletableFuture<Void> closing = CompletableFuture.runAsync(provider::close);
      Polling.await("the server to stop accepting", () -> providersWhenAcceptingStops.get() != null);
      assertThat(providersWhenAcceptingStops.get()).as("registrations left when the server stops accepting")
          .isEmpty();
      assertThat(portOpenWhenAcceptingStops.get()).as("the port still accepted after deregistration").isTrue();
      assertThat(inFlight).isNotDone();
      assertThat(closing).as("Spring waits for the drain").isNotDone();

      gate.open();
      assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("passed slow");
      closing.get(20, TimeUnit.SECONDS);
      assertThat(accepts(port)).isFalse();
    }
  }

  @Test
  void aLostZooKeeperIsShownInHealthWhichStaysUp() {
    try (ConfigurableApplicationContext provider = provider()) {
      HealthIndicator health = provider.getBean("courierHealthIndicator", HealthIndicator.class);
      assertThat(registryDetails(health)).containsEntry("connected", true);
      zookeeper.stop();
      Polling.await("the provider to see ZooKeeper gone",
          () -> Boolean.FALSE.equals(registryDetails(health).get("connected")));
      assertThat(health.health().getStatus()).as("calls go on against the last known providers")
          .isEqualTo(Status.UP);
      zookeeper.restart();
      Polling.await("the provider to reconnect", () -> Boolean.TRUE.equals(registryDetails(health).get("connected")));
      assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> registryDetails(HealthIndicator health) {
    return (Map<String, Object>) health.health().getDetails().get("registry");
  }

  @Test
  void whileTheServerDrainsItsHealthIsDown() throws Exception {
    try (ConfigurableApplicationContext provider = provider()) {
      RpcServer server = provider.getBean(ServerLifecycle.class).server();
      HealthIndicator health = provider.getBean("courierHealthIndicator", HealthIndicator.class);
      assertThat(health.health().getStatus()).isEqualTo(Status.UP);
      OpenableGate gate = provider.getBean(OpenableGate.class);
      try (RpcClient client = RpcClient.builder().address("127.0.0.1:" + server.port()).build()) {
        Gate stub = client.create(Gate.class, io.courier.common.CallOptions.DEFAULT
            .withTimeout(java.time.Duration.ofSeconds(20)));
        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> stub.pass("slow"), callers);
        Polling.await("the call to reach the service", () -> gate.waiting() == 1);

        CompletableFuture<Void> drained = server.shutdown(java.time.Duration.ofSeconds(15)); // as the console drains
        assertThat(drained).isNotDone();
        assertThat(health.health().getStatus()).as("while the call in flight finishes").isEqualTo(Status.DOWN);

        gate.open();
        assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("passed slow");
        drained.get(20, TimeUnit.SECONDS);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
      }
    }
  }

  private ConfigurableApplicationContext provider() {
    providersWhenAcceptingStops.set(null);
    portOpenWhenAcceptingStops.set(null);
    registrationsSeenByRunner.set(-1);
    return new SpringApplicationBuilder(ProviderApp.class, Probe.class).properties(
        "spring.main.web-application-type=none",
        "courier.registry.address=" + zookeeper.address(),
        "courier.server.host=127.0.0.1",
        "courier.server.transports.tcp.port=0",
        "courier.server.shutdown-grace-period=15s",
        "spring.lifecycle.timeout-per-shutdown-phase=20s").run();
  }

  private static List<String> providers() throws Exception {
    try {
      return watcher.getChildren().forPath(GATE_PROVIDERS);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Looks at ZooKeeper and the port at the moment the server stops accepting, and at the runners' time. */
  @Configuration(proxyBeanMethods = false)
  static class Probe {
    @Bean
    RpcServerBuilderCustomizer probeAtShutdown(
        org.springframework.beans.factory.ObjectProvider<ServerLifecycle> server) {
      // shutdown hooks run after the registrations are withdrawn and before the server stops accepting
      return builder -> builder.onShutdown(() -> {
        try {
          List<String> left = providers();
          portOpenWhenAcceptingStops.set(accepts(server.getObject().server().port()));
          providersWhenAcceptingStops.set(left);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }

    @Bean
    ApplicationRunner probeAtRunnerTime(ServerLifecycle server) {
      return args -> registrationsSeenByRunner.set(server.server().registrations().size());
    }
  }
}
