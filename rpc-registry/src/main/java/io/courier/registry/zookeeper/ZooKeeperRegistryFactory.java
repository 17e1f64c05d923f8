package io.courier.registry.zookeeper;

import io.courier.registry.Registry;
import io.courier.registry.RegistryAddress;
import io.courier.registry.RegistryFactory;
import java.nio.file.Path;

/**
 * Scheme {@code zookeeper}: {@code zookeeper://host:port[,host:port...][/root][?connectTimeout=5s&sessionTimeout=30s
 * &snapshot=/path/providers.json&credentials=file:/path&sasl=true&acl=creator]}. {@code credentials} (with or without
 * {@code auth=digest}) names where a digest {@code user:password} is read from — {@code file:/path} or
 * {@code env:NAME}, never the secret itself, which would be logged with the address; {@code sasl} (or
 * {@code auth=sasl}) turns the JAAS login on or off; {@code acl} is {@code creator}, {@code creator-only} or
 * {@code open} (docs/registry.md, "ACLs and authentication").
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
    String auth = address.parameter("auth", null);
    String credentials = address.parameter("credentials", null);
    String sasl = address.parameter("sasl", null);
    if (auth != null && !auth.equals("digest") && !auth.equals("sasl")) {
      throw new IllegalArgumentException("auth: " + auth + " (expected: digest or sasl, in " + address + ")");
    }
    if ("digest".equals(auth) && credentials == null) {
      throw new IllegalArgumentException("auth=digest needs credentials=file:/path or credentials=env:NAME (in "
          + address + ")");
    }
    if (credentials != null) {
      builder.digest(DigestCredentials.load(credentials, System::getenv));
    }
    if (sasl != null && !sasl.equals("true") && !sasl.equals("false")) {
      throw new IllegalArgumentException("sasl: " + sasl + " (expected: true or false, in " + address + ")");
    }
    if ("sasl".equals(auth) && "false".equals(sasl)) {
      throw new IllegalArgumentException("auth=sasl contradicts sasl=false (in " + address + ")");
    }
    if ("sasl".equals(auth) || sasl != null) {
      builder.sasl("sasl".equals(auth) || Boolean.parseBoolean(sasl));
    }
    String acl = address.parameter("acl", null);
    if (acl != null) {
      builder.acl(Acls.named(acl));
    }
    return builder;
  }
}
