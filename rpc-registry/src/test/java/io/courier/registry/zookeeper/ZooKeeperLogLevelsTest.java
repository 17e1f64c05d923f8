package io.courier.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import io.courier.testing.Polling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Courier reports ZooKeeper connectivity itself; ZooKeeper's and Curator's own loggers are turned down to the
 * documented levels (the test backend is slf4j-simple, as in the examples), and a setting of the application wins.
 */
class ZooKeeperLogLevelsTest {

  @Test
  void zooKeeperAndCuratorLoggersAreAtTheDocumentedLevelsUnlessTheApplicationSetThem() {
    ZooKeeperLogLevels.apply();
    assertThat(LoggerFactory.getLogger("org.apache.zookeeper.ClientCnxn").isWarnEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger("org.apache.zookeeper.ClientCnxn").isErrorEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("org.apache.curator.ConnectionState").isWarnEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger("org.apache.curator.framework.recipes.nodes.PersistentNode").isWarnEnabled())
        .isTrue();
    assertThat(LoggerFactory.getLogger("org.apache.zookeeper.server.ZooKeeperServer").isInfoEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger("org.apache.zookeeper.server.ServerCnxnFactory").isErrorEnabled())
        .as("set to off in this module's simplelogger.properties: left alone").isFalse();
    assertThat(System.getProperty(ZooKeeperLogLevels.CURATOR_CONNECTION_PROBLEMS)).isEqualTo("true");
  }

  @Test
  void anOutageIsOneWarningFromCourierAndNothingFromZooKeeperOrCurator() throws Exception {
    try (TestingServer zookeeper = new TestingServer();
        Registry registry = Registries.connect("zookeeper://" + zookeeper.getConnectString())) {
      registry.subscribe("test.Quiet", providers -> { });
      registry.register(ServiceInstance.builder("test.Quiet").host("10.0.0.7").port("tcp", 7070).build());
      String captured;
      try (ErrCapture err = new ErrCapture()) {
        zookeeper.stop(); // ZooKeeper's client used to log a warning and a stack trace here, and at every retry
        Polling.await("the registry to report the outage", () -> err.text().contains("lost contact with ZooKeeper"));
        zookeeper.restart();
        Polling.await("the registry to reconnect", Duration.ofSeconds(10), registry::isConnected);
        captured = err.text();
      }
      List<String> lines = captured.lines().toList();
      assertThat(lines).filteredOn(l -> l.contains("org.apache.zookeeper") || l.contains("org.apache.curator"))
          .isEmpty();
      assertThat(lines).filteredOn(l -> l.contains(" WARN ")).hasSize(1)
          .allSatisfy(l -> assertThat(l).contains("ZooKeeperRegistry - lost contact with ZooKeeper"));
      assertThat(lines).filteredOn(l -> l.trim().startsWith("at ")).as("stack trace lines").isEmpty();
    }
  }

  /** In a JVM logging at INFO, as an application does: the embedded ZooKeeper used to print ~150 lines. */
  @Test
  void theEmbeddedServerStartsQuietly() throws Exception {
    Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", System.getProperty("java.class.path"),
        EmbeddedMain.class.getName()).redirectErrorStream(true).start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output).contains("registered and closed");
    List<String> logLines = output.lines().filter(l -> l.contains(" INFO ") || l.contains(" WARN ")
        || l.contains(" ERROR ")).toList();
    assertThat(logLines).as(output).allSatisfy(l -> assertThat(l).contains("io.courier."));
    assertThat(logLines).as(output).hasSizeLessThanOrEqualTo(3);
  }

  /** Started by {@link #theEmbeddedServerStartsQuietly} in a JVM of its own. */
  public static final class EmbeddedMain {
    public static void main(String[] args) {
      try (Registry registry = Registries.connect("embedded")) {
        registry.register(ServiceInstance.builder("test.Quiet").host("10.0.0.7").port("tcp", 7070).build());
      }
      System.out.println("registered and closed");
    }
  }
}
