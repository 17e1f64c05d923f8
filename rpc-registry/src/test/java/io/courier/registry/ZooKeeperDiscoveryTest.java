package io.courier.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.common.Idempotent;
import io.courier.common.RpcException;
import io.courier.common.RpcService;
import io.courier.common.StatusCode;
import io.courier.registry.zookeeper.ZooKeeperRegistry;
import io.courier.server.RpcServer;
import io.courier.testing.Polling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery, balancing and fault tolerance together: real TCP providers found through a real ZooKeeper
 * (curator-test's TestingServer), called through real stubs while providers die and ZooKeeper goes away.
 */
class ZooKeeperDiscoveryTest {

  @RpcService(name = "test.Ledger")
  public interface Ledger {
    @Idempotent
    long balance(String account);

    long deposit(String account, long amount);
  }

  /** A provider that counts what it runs and can be made to hang until its caller gives up. */
  static final class LedgerNode implements Ledger {
    final AtomicInteger entered = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    volatile CountDownLatch gate;

    @Override
    public long balance(String account) {
      return run();
    }

    @Override
    public long deposit(String account, long amount) {
      return run();
    }

    private long run() {
      entered.incrementAndGet();
      CountDownLatch g = gate;
      if (g != null) {
        try {
          // hang, as a provider about to crash does: no answer even when the caller gives up (the test releases it)
          g.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return -1;
      }
      return completed.incrementAndGet();
    }
  }

  /** What a stream of calls came to. */
  record Outcome(int successes, List<Throwable> failures) {}

  private TestingServer zookeeper;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<CountDownLatch> gates = new ArrayList<>();

  @BeforeEach
  void startZooKeeper() throws Exception {
    zookeeper = new TestingServer();
  }

  @AfterEach
  void closeAll() throws Exception {
    gates.forEach(CountDownLatch::countDown);
    Collections.reverse(resources);
    for (AutoCloseable c : resources) {
      c.close();
    }
    zookeeper.close();
  }

  @Test
  void aProviderDyingDuringAStreamOfIdempotentCallsCostsNoCall() throws Exception {
    LedgerNode doomed = new LedgerNode();
    doomed.gate = gate();
    RpcServer doomedServer = crashableProvider(doomed);
    crashableProvider(new LedgerNode());
    crashableProvider(new LedgerNode());
    Ledger ledger = client().create(Ledger.class);

    Outcome outcome = stream(4, 150, () -> ledger.balance("acme"), () -> {
      Polling.await("a call to hang on the doomed provider", () -> doomed.entered.get() > 0);
      doomedServer.shutdown(Duration.ZERO); // dies with calls in flight; its registration stays behind
    });

    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.successes()).isEqualTo(600);
  }

  @Test
  void aProviderDyingDuringAStreamOfNonIdempotentCallsFailsOnlyTheCallsItHadAndSaysSo() throws Exception {
    LedgerNode doomed = new LedgerNode();
    LedgerNode survivor1 = new LedgerNode();
    LedgerNode survivor2 = new LedgerNode();
    doomed.gate = gate();
    RpcServer doomedServer = crashableProvider(doomed);
    crashableProvider(survivor1);
    crashableProvider(survivor2);
    Ledger ledger = client().create(Ledger.class);

    Outcome outcome = stream(4, 150, () -> ledger.deposit("acme", 10), () -> {
      Polling.await("a call to hang on the doomed provider", () -> doomed.entered.get() > 0);
      doomedServer.shutdown(Duration.ZERO);
    });

    // The rule: a call whose request may have run is not retried unless @Idempotent; everything else is retried.
    assertThat(outcome.failures()).isNotEmpty().allSatisfy(failure ->
        assertThat(failure).isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
          assertThat(e.status().description()).contains("closed", "not retried: the connection was lost with the"
              + " request in flight, so it may have run, and test.Ledger/deposit is not @Idempotent");
        }));
    assertThat(outcome.failures().size()).as("only the calls caught on the dying provider")
        .isGreaterThanOrEqualTo(doomed.entered.get());
    assertThat(outcome.successes() + outcome.failures().size()).isEqualTo(600);
    assertThat(survivor1.completed.get() + survivor2.completed.get()).as("no deposit ran twice")
        .isEqualTo(outcome.successes());
  }

  @Test
  void aProviderShuttingDownGracefullyIsDeregisteredFirstAndCostsNoCallEvenNonIdempotent() throws Exception {
    LedgerNode leaving = new LedgerNode();
    LedgerNode staying = new LedgerNode();
    RpcServer leavingServer = provider(leaving, Duration.ofSeconds(5));
    provider(staying, Duration.ofSeconds(5));
    // round-robin, so that both providers have calls when one leaves (the adaptive default may favour one so much
    // that the other sees no call before the stream ends)
    Ledger ledger = client("round-robin").create(Ledger.class);

    Outcome outcome = stream(4, 150, () -> ledger.deposit("acme", 10), () -> {
      Polling.await("calls on both providers", () -> leaving.entered.get() > 5 && staying.entered.get() > 5);
      leavingServer.close();
      assertThat(leavingServer.registrations()).isEmpty();
    });

    assertThat(outcome.failures()).isEmpty();
    assertThat(leaving.completed.get() + staying.completed.get()).isEqualTo(600);
  }

  @Test
  void callsGoOnWhileZooKeeperIsDownAndNewProvidersAreFoundWhenItIsBack() throws Exception {
    LedgerNode first = new LedgerNode();
    LedgerNode second = new LedgerNode();
    provider(first, Duration.ZERO);
    provider(second, Duration.ZERO);
    RpcClient client = RpcClient.builder().registry("zookeeper://" + zookeeper.getConnectString()).build();
    resources.add(client);
    Ledger ledger = client.create(Ledger.class);
    for (int i = 0; i < 20; i++) {
      ledger.deposit("acme", 1);
    }

    zookeeper.stop();
    int before = first.completed.get() + second.completed.get();
    for (int i = 0; i < 200; i++) {
      ledger.deposit("acme", 1); // every call succeeds against the providers known before the outage
    }
    assertThat(first.completed.get() + second.completed.get()).isEqualTo(before + 200);

    zookeeper.restart();
    LedgerNode third = new LedgerNode();
    provider(third, Duration.ZERO);
    Polling.await("the provider started after the outage to get calls", () -> {
      ledger.deposit("acme", 1);
      return third.completed.get() > 0;
    });
  }

  @Test
  void anUnreachableRegistryFailsServerStartAndClientBuildWithinTheConnectTimeout() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String address = "zookeeper://127.0.0.1:" + closedPort + "?connectTimeout=300ms";
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).service(Ledger.class, new LedgerNode())
        .registry(address).build();
    long start = System.nanoTime();
    assertThatThrownBy(server::start).isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("cannot reach ZooKeeper at 127.0.0.1:" + closedPort + " within 300 ms");
    assertThatThrownBy(server::addresses).as("nothing left listening").isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RpcClient.builder().registry(address).build()).isInstanceOf(RegistryException.class)
        .hasMessageContaining("cannot reach ZooKeeper");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  // --- fixtures ---------------------------------------------------------------------------------------------------

  /** A latch released after the test, so hung provider threads end. */
  private CountDownLatch gate() {
    CountDownLatch gate = new CountDownLatch(1);
    gates.add(gate);
    return gate;
  }

  /** A TCP provider registered through its own server builder (so it deregisters on shutdown). */
  private RpcServer provider(LedgerNode node, Duration grace) {
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).service(Ledger.class, node).gracePeriod(grace)
        .registry("zookeeper://" + zookeeper.getConnectString()).build().start();
    resources.add(server);
    return server;
  }

  /**
   * A TCP provider registered beside the server, in a registry the test keeps open: when the server dies, its
   * registration stays (as a crashed process's does until its session times out), so clients still see it.
   */
  private RpcServer crashableProvider(LedgerNode node) {
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).service(Ledger.class, node)
        .gracePeriod(Duration.ZERO).build().start();
    resources.add(server);
    ZooKeeperRegistry registry = ZooKeeperRegistry.builder(zookeeper.getConnectString()).build();
    resources.add(registry);
    registry.register(ServiceInstance.builder("test.Ledger").host("127.0.0.1").port("tcp", server.port()).build());
    return server;
  }

  private RpcClient client() {
    return client(null);
  }

  /** @param loadBalancer a balancer by name, or {@code null} for the default */
  private RpcClient client(String loadBalancer) {
    ZooKeeperRegistry registry = ZooKeeperRegistry.builder(zookeeper.getConnectString()).build();
    resources.add(registry);
    RpcClient.Builder builder = RpcClient.builder().registry(registry);
    if (loadBalancer != null) {
      builder.loadBalancer(loadBalancer);
    }
    RpcClient client = builder.build();
    resources.add(client);
    return client; // create() waits for the first provider list
  }

  /**
   * {@code threads} callers making {@code calls} calls each; {@code disruption} runs on the test thread meanwhile.
   */
  private static Outcome stream(int threads, int calls, Runnable call, Runnable disruption) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger successes = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        running.add(pool.submit(() -> {
          for (int i = 0; i < calls; i++) {
            try {
              call.run();
              successes.incrementAndGet();
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
        }));
      }
      disruption.run();
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return new Outcome(successes.get(), List.copyOf(failures));
  }
}
