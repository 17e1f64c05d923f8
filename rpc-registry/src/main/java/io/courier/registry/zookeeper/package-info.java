/**
 * Discovery in ZooKeeper through Apache Curator ({@code zookeeper://}, and {@code embedded}, a ZooKeeper inside this
 * JVM): {@link io.courier.registry.zookeeper.ZooKeeperRegistry} (providers as ephemeral nodes holding {@code
 * InstanceJson} documents, registered again after a session expiry or a wiped ensemble, provider lists kept while
 * ZooKeeper is down, a {@code SnapshotFile} to start without it), ACLs and credentials ({@code Acls}, {@code
 * DigestCredentials}, {@code SaslSetting}), {@code EmbeddedZooKeeper}, {@code ZooKeeperLogLevels}, and the factories
 * found by scheme. Layout and behaviour are in docs/registry.md. It implements the {@code io.courier.registry} SPI and
 * must depend on nothing else of Courier's: not on clients, servers, transports or the cluster layer.
 */
package io.courier.registry.zookeeper;
