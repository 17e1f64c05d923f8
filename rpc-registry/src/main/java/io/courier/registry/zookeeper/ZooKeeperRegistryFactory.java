package io.courier.registry.zookeeper;

import io.courier.registry.Registry;
import io.courier.registry.RegistryAddress;
import io.courier.registry.RegistryFactory;
import java.nio.file.Path;

/**
 * Scheme {@code zookeeper}: {@code zookeeper://host:port[,host:port...][/root][?connectTimeout=5s&sessionTimeout=30s
 * &snapshot=/path/providers.json]}.
 */
public final class ZooKeeperRegistryFactory implements RegistryFactory {

  @Override
  public String scheme() {
    return "zookeeper";
  }

  @Override
  public Registry create(RegistryAddress address) {
    if (address.hosts().isEmpty()) {
      throw new IllegalArgumentException("registry address '" + address + "' names no ZooKeeper server (expected:"
          + " zookeeper://host:port[,host:port][/root])");
    }
    return configure(ZooKeeperRegistry.builder(String.join(",", address.hosts())), address).build();
  }

  /** Applies the path and the parameters every ZooKeeper-backed address may carry. */
  static ZooKeeperRegistry.Builder configure(ZooKeeperRegistry.Builder builder, RegistryAddress address) {
    if (!address.path().isEmpty()) {
      builder.root(address.path());
    }
    builder.connectTimeout(address.duration("connectTimeout", ZooKeeperRegistry.DEFAULT_CONNECT_TIMEOUT));
    builder.sessionTimeout(address.duration("sessionTimeout", ZooKeeperRegistry.DEFAULT_SESSION_TIMEOUT));
    String snapshot = address.parameter("snapshot", null);
    if (snapshot != null && !snapshot.isBlank()) {
      builder.snapshotFile(Path.of(snapshot));
    }
    return builder;
  }
}
