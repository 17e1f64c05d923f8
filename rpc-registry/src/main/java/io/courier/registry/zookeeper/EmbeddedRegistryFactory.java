package io.courier.registry.zookeeper;

import io.courier.registry.Registry;
import io.courier.registry.RegistryAddress;
import io.courier.registry.RegistryFactory;

/**
 * Scheme {@code embedded}: starts an {@link EmbeddedZooKeeper} and returns a {@link ZooKeeperRegistry} on it that
 * stops the server when closed. Every {@code connect("embedded")} starts a new server: to share one between a server
 * and a client in one JVM, connect once and pass the {@code Registry} to both builders. Takes the same parameters
 * as {@code zookeeper://} ({@code embedded?connectTimeout=5s}).
 */
public final class EmbeddedRegistryFactory implements RegistryFactory {

  @Override
  public String scheme() {
    return "embedded";
  }

  @Override
  public Registry create(RegistryAddress address) {
    EmbeddedZooKeeper server = EmbeddedZooKeeper.start();
    try {
      return ZooKeeperRegistryFactory.configure(ZooKeeperRegistry.builder(server.connectString()), address)
          .ownedServer(server).build();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }
}
