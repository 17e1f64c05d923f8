package io.courier.chaos;

import io.courier.chaos.load.AttemptLog;
import io.courier.chaos.provider.Inventory;
import io.courier.chaos.provider.InventoryProvider;
import io.courier.chaos.provider.ProviderProcess;
import io.courier.client.RpcClient;
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
 * One scenario's world: a real ZooKeeper (curator-test's {@link TestingServer}, on a free port, in this JVM),
 * providers — {@link RpcServer}s in this JVM or {@link ProviderProcess}es in their own — and clients, all on
 * loopback. Closing it closes everything it made, newest first (clients before providers before ZooKeeper), and
 * kills every provider process.
 */
final class ChaosCluster implements AutoCloseable {

  private final TestingServer zookeeper;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  ChaosCluster() throws Exception {
    zookeeper = new TestingServer();
  }

  TestingServer zookeeper() {
    return zookeeper;
  }

  /** {@code zookeeper://127.0.0.1:<port>?sessionTimeout=<ms>ms}. */
  String registryAddress(Duration sessionTimeout) {
    return "zookeeper://" + zookeeper.getConnectString() + "?sessionTimeout=" + sessionTimeout.toMillis() + "ms";
  }

  /** A registry owned by this cluster (closed with it), for a client or a provider that shares it. */
  ZooKeeperRegistry registry(Duration sessionTimeout) {
    return own(ZooKeeperRegistry.builder(zookeeper.getConnectString()).sessionTimeout(sessionTimeout).build());
  }

  /**
   * An in-JVM TCP provider of {@code inventory} on 127.0.0.1, registering through {@code registry} (an address
   * string, so the server owns its registry and session, or a {@link Registry} the caller keeps).
   */
  RpcServer provider(InventoryProvider inventory, Object registry, UnaryOperator<RpcServer.Builder> options) {
    RpcServer.Builder b = RpcServer.builder().host("127.0.0.1").advertisedHost("127.0.0.1").port(0)
        .service(Inventory.class, inventory).workerThreads(32).gracePeriod(Duration.ofSeconds(5));
    if (registry instanceof String address) {
      b.registry(address);
    } else {
      b.registry((Registry) registry);
    }
    return own(options.apply(b).build().start());
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

  @Override
  public void close() throws Exception {
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
      zookeeper.close();
    } catch (Exception e) {
      if (first == null) {
        first = e;
      } else {
        first.addSuppressed(e);
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
