package io.courier.registry.zookeeper;

import io.courier.registry.Registry;
import io.courier.registry.RegistryAddress;
import io.courier.registry.RegistryFactory;

/**
 * Scheme {@code embedded}: starts an {@link EmbeddedZooKeeper} and returns a {@link ZooKeeperRegistry} on it that
 * stops the server when closed. Every {@code connect("embedded")} starts a new server: to share one between a server
 * and a client in one JVM, connect once and pass the {@code Registry} to both builders. Takes the same parameters
 * as {@code zookeeper://} ({@code embedded?connectTimeout=5s}), plus {@code port} (default 0, a free port): with
 * {@code embedded?port=2181} another process on this machine can join with {@code zookeeper://127.0.0.1:2181}.
 */
public final class EmbeddedRegistryFactory implements RegistryFactory {

  @Override
  public String scheme() {
    return "embedded";
  }

  @Override
  public Registry create(RegistryAddress address) {
    int port;
    String text = address.parameter("port", "0");
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("registry address '" + address + "': port '" + text
          + "' (expected: a port number, 0..65535)", e);
    }
    EmbeddedZooKeeper server = EmbeddedZooKeeper.start(port, EmbeddedZooKeeper.DEFAULT_STARTUP_TIMEOUT);
    try {
      return ZooKeeperRegistryFactory.configure(ZooKeeperRegistry.builder(server.connectString()), address)
          .ownedServer(server).build();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }
}
