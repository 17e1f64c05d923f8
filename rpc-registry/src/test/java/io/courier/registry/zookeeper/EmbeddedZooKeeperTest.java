package io.courier.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.registry.RegistryException;
import io.courier.registry.ServiceInstance;
import io.courier.testing.Polling;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedZooKeeperTest {

  @Test
  void servesOnAFreeLoopbackPortAndDeletesItsDirectoryOnClose() {
    Path directory;
    try (EmbeddedZooKeeper zookeeper = EmbeddedZooKeeper.start();
        Registry registry = Registries.connect("zookeeper://" + zookeeper.connectString())) {
      directory = zookeeper.directory();
      assertThat(zookeeper.port()).isPositive();
      assertThat(zookeeper.connectString()).isEqualTo("127.0.0.1:" + zookeeper.port());
      assertThat(directory).isDirectory();
      Recorder seen = new Recorder();
      registry.subscribe("demo.Echo", seen);
      registry.register(ServiceInstance.builder("demo.Echo").host("127.0.0.1").port("tcp", 7070).build());
      Polling.await("the registration", () -> seen.last().size() == 1);
    }
    assertThat(Files.exists(directory)).isFalse();
  }

  @Test
  void theEmbeddedAddressStartsAServerThatTheRegistryStops() {
    int port;
    try (Registry registry = Registries.connect("embedded")) {
      assertThat(registry.describe()).startsWith("zookeeper://127.0.0.1:").endsWith("/courier");
      port = Integer.parseInt(registry.describe().replaceAll(".*:(\\d+)/courier", "$1"));
      assertThat(accepts(port)).isTrue();
    }
    Polling.await("the embedded server to stop", () -> !accepts(port));
  }

  @Test
  void aPortParameterLetsAnotherProcessJoinWithAZooKeeperAddress() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // free a moment ago
    }
    try (Registry provider = Registries.connect("embedded?port=" + port);
        Registry consumer = Registries.connect("zookeeper://127.0.0.1:" + port)) {
      assertThat(provider.describe()).isEqualTo("zookeeper://127.0.0.1:" + port + "/courier");
      Recorder seen = new Recorder();
      consumer.subscribe("demo.Echo", seen);
      provider.register(ServiceInstance.builder("demo.Echo").host("127.0.0.1").port("tcp", 7070).build());
      Polling.await("the registration seen by the other registry", () -> seen.last().size() == 1);
    }
  }

  @Test
  void aTakenPortFailsNamingThePortAndWhatToDo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> Registries.connect("embedded?port=" + taken.getLocalPort()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("is port " + taken.getLocalPort() + " taken")
          .hasMessageContaining("zookeeper://127.0.0.1:" + taken.getLocalPort());
    }
    assertThatThrownBy(() -> Registries.connect("embedded?port=http"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 'http'");
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
