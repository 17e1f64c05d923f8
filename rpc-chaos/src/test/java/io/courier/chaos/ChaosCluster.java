package io.courier.chaos;

import io.courier.chaos.load.AttemptLog;
import io.courier.chaos.provider.Inventory;
import io.courier.chaos.provider.InventoryProvider;
import io.courier.chaos.provider.ProviderProcess;
import io.courier.client.RpcClient;
import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.registry.zookeeper.ZooKeeperRegistry;
import io.courier.server.RpcServer;
import io.courier.transport.Transports;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;
import org.apache.curator.test.TestingServer;

/**
 * One scenario's world: a real ZooKeeper (curator-test's {@link TestingServer}, on a free port, in this JVM — or,
 * with {@link #onEnsemble}, an ensemble of several servers), providers — {@link RpcServer}s in this JVM or
 * {@link ProviderProcess}es in their own — and clients, all on loopback. Closing it closes everything it made, newest
 * first (clients before providers before ZooKeeper), and kills every provider process.
 */
final class ChaosCluster implements AutoCloseable {

  private final TestingServer zookeeper; // null on an ensemble
  private final ZooKeeperEnsemble ensemble; // null on a single server
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  ChaosCluster() throws Exception {
    this(new TestingServer(), null);
  }

  private ChaosCluster(TestingServer zookeeper, ZooKeeperEnsemble ensemble) {
    this.zookeeper = zookeeper;
    this.ensemble = ensemble;
  }

  /** A world whose ZooKeeper is an ensemble of {@code servers} servers, started and serving. */
  static ChaosCluster onEnsemble(int servers) throws Exception {
    return new ChaosCluster(null, ZooKeeperEnsemble.start(servers));
  }

  TestingServer zookeeper() {
    if (zookeeper == null) {
      throw new IllegalStateException("this cluster runs an ensemble (expected: ensemble())");
    }
    return zookeeper;
  }

  ZooKeeperEnsemble ensemble() {
    if (ensemble == null) {
      throw new IllegalStateException("this cluster runs a single ZooKeeper server (expected: zookeeper())");
    }
    return ensemble;
  }

  /** {@code 127.0.0.1:<port>}, or every server of the ensemble. */
  String connectString() {
    return zookeeper != null ? zookeeper.getConnectString() : ensemble.connectString();
  }

  /** {@code zookeeper://127.0.0.1:<port>[,127.0.0.1:<port>...]?sessionTimeout=<ms>ms}. */
  String registryAddress(Duration sessionTimeout) {
    return "zookeeper://" + connectString() + "?sessionTimeout=" + sessionTimeout.toMillis() + "ms";
  }

  /** A registry owned by this cluster (closed with it), for a client or a provider that shares it. */
  ZooKeeperRegistry registry(Duration sessionTimeout) {
    return own(ZooKeeperRegistry.builder(connectString()).sessionTimeout(sessionTimeout).build());
  }

  /**
   * A registry connected from an address string, as an application connects ({@link Registries#connect}), owned by
   * this cluster: {@code zookeeper://} addresses give a {@link ZooKeeperRegistry}.
   */
  ZooKeeperRegistry connect(String address) {
    return (ZooKeeperRegistry) own(Registries.connect(address));
  }

  /**
   * An in-JVM TCP provider of {@code inventory} on 127.0.0.1, registering in the registry at {@code address}: the
   * server owns that registry, and so its own ZooKeeper session.
   */
  RpcServer provider(InventoryProvider inventory, String address, UnaryOperator<RpcServer.Builder> options) {
    return own(options.apply(providerBuilder(inventory).registry(address)).build().start());
  }

  /** An in-JVM TCP provider registering in {@code registry}, which the caller keeps (and may expire the session of). */
  RpcServer provider(InventoryProvider inventory, Registry registry, UnaryOperator<RpcServer.Builder> options) {
    return own(options.apply(providerBuilder(inventory).registry(registry)).build().start());
  }

  private static RpcServer.Builder providerBuilder(InventoryProvider inventory) {
    return RpcServer.builder().host("127.0.0.1").advertisedHost("127.0.0.1").port(0)
        .service(Inventory.class, inventory).workerThreads(32).gracePeriod(Duration.ofSeconds(5));
  }

  /** A provider in a JVM of its own; see {@link ProviderProcess#start}. */
  ProviderProcess process(String name, String registryAddress, int port) {
    return own(ProviderProcess.start(name, registryAddress, port));
  }

  /** A TCP client finding providers in {@code registry}, its attempts recorded in {@code attempts}. */
  RpcClient client(Registry registry, AttemptLog attempts) {
    return own(RpcClient.builder().transport(attempts.wrap(Transports.find("tcp"))).registry(registry).build());
  }

  <T extends AutoCloseable> T own(T resource) {
    synchronized (resources) {
      resources.push(resource);
    }
    return resource;
  }

  /** Closes what it made, newest first, then ZooKeeper; every close is tried, the first failure is thrown. */
  @Override
  public void close() {
    Exception first = null;
    while (true) {
      AutoCloseable next;
      synchronized (resources) {
        next = resources.poll();
      }
      if (next == null) {
        break;
      }
      try {
        next.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    try {
      if (zookeeper != null) {
        zookeeper.close();
      } else {
        ensemble.close();
      }
    } catch (Exception e) {
      if (first == null) {
        first = e;
      } else {
        first.addSuppressed(e);
      }
    }
    if (first != null) {
      throw new IllegalStateException("closing the scenario's cluster failed: " + first, first);
    }
  }
}
