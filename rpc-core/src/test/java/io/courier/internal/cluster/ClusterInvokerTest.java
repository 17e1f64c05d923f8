package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.NoOpSerializerProvider;
import io.courier.client.EndpointSource;
import io.courier.client.RpcClient;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.ClusterOptions;
import io.courier.cluster.ClusterPolicy;
import io.courier.cluster.LoadBalance;
import io.courier.cluster.LoadBalancers;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.Idempotent;
import io.courier.common.RpcException;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.server.RpcServer;
import io.courier.server.ServerContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every cluster mode, the retry rules, the retry budget, the deadline over all attempts and outlier ejection, end to
 * end through real stubs over the in-process transport. Round-robin keeps the order of picks predictable.
 */
class ClusterInvokerTest {

  @RpcService(name = "test.Inventory")
  public interface Inventory {
    @Idempotent
    String get(String key);

    String put(String key);

    @ClusterPolicy(ClusterMode.FAILSAFE)
    int count(String key);

    @Idempotent
    @ClusterPolicy(value = ClusterMode.FORKING, forks = 3)
    String fastest(String key);

    @ClusterPolicy(ClusterMode.BROADCAST)
    void invalidate(String key);

    @ClusterPolicy(ClusterMode.FAILFAST)
    String once(String key);

    /** Sleeps {@code millis} (until cancelled), then fails with UNAVAILABLE. */
    @Idempotent
    String slowlyUnavailable(long millis);
  }

  @RpcService(name = "test.Misconfigured")
  public interface Misconfigured {
    @LoadBalance("fastest-ever")
    String call();
  }

  /** A provider whose failures and blocking a test controls. */
  static final class Node implements Inventory {
    final String name;
    final AtomicInteger calls = new AtomicInteger();
    final List<ServerContext> contexts = new CopyOnWriteArrayList<>();
    final AtomicInteger cutShort = new AtomicInteger();
    volatile RuntimeException failure;
    volatile CountDownLatch gate;
    volatile CountDownLatch entered;

    Node(String name) {
      this.name = name;
    }

    private String handle(String key) {
      calls.incrementAndGet();
      ServerContext context = ServerContext.current();
      contexts.add(context);
      CountDownLatch e = entered;
      if (e != null) {
        e.countDown();
      }
      CountDownLatch g = gate;
      if (g != null) {
        awaitOrCancel(g, context, 10_000);
        if (context.isCancelled()) {
          cutShort.incrementAndGet();
        }
      }
      RuntimeException f = failure;
      if (f != null) {
        throw f;
      }
      return name + ":" + key;
    }

    @Override
    public String get(String key) {
      return handle(key);
    }

    @Override
    public String put(String key) {
      return handle(key);
    }

    @Override
    public int count(String key) {
      handle(key);
      return 7;
    }

    @Override
    public String fastest(String key) {
      return handle(key);
    }

    @Override
    public void invalidate(String key) {
      handle(key);
    }

    @Override
    public String once(String key) {
      return handle(key);
    }

    @Override
    public String slowlyUnavailable(long millis) {
      calls.incrementAndGet();
      ServerContext context = ServerContext.current();
      contexts.add(context);
      awaitOrCancel(new CountDownLatch(1), context, millis);
      if (context.isCancelled()) {
        cutShort.incrementAndGet();
      }
      throw Status.UNAVAILABLE.withDescription(name + " is overloaded").asException();
    }

    private static void awaitOrCancel(CountDownLatch latch, ServerContext context, long maxMillis) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
      try {
        while (!context.isCancelled() && System.nanoTime() - deadline < 0 && !latch.await(2, TimeUnit.MILLISECONDS)) {
          // the provider is slow on purpose: wait for the gate, the caller's cancellation or the time
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final AtomicInteger NAMES = new AtomicInteger();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final RecordingTransportFactory transport = new RecordingTransportFactory();

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(resources);
    for (AutoCloseable c : resources) {
      c.close();
    }
  }

  @Test
  void anUnreachableProviderIsRetriedElsewhereEvenForNonIdempotentMethodsAndEjected() {
    Node a = node();
    String ghost = "ghost-" + NAMES.incrementAndGet();
    Inventory stub = stub(client(List.of(ghost, a.name), b -> b.outlierDetection(5, Duration.ofMinutes(1),
        Duration.ofMinutes(1))));
    for (int i = 0; i < 20; i++) {
      assertThat(stub.put("k" + i)).isEqualTo(a.name + ":k" + i);
    }
    assertThat(a.calls).hasValue(20); // each put ran exactly once
    assertThat(transport.attempts(ghost)).as("ejected after its first failure").isEqualTo(1);
  }

  @Test
  void anEjectedProviderIsProbedBackInWhenItReturns() {
    Node a = node();
    String late = "late-" + NAMES.incrementAndGet();
    Inventory stub = stub(client(List.of(late, a.name), b -> b.outlierDetection(5, Duration.ofMillis(20),
        Duration.ofMillis(20))));
    assertThat(stub.get("x")).isEqualTo(a.name + ":x");
    Node lateNode = new Node(late);
    start(lateNode);
    io.courier.Polling.await("the returning provider to be called again", () -> {
      stub.get("y");
      return lateNode.calls.get() > 0;
    });
  }

  @Test
  void applicationExceptionsAndAnswersAreNeverRetried() {
    Node a = node();
    Node b = node();
    a.failure = b.failure = new IllegalStateException("out of stock");
    Inventory stub = stub(client(List.of(a.name, b.name), x -> x));
    assertThatThrownBy(() -> stub.get("k")).isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("out of stock");
    assertThat(a.calls.get() + b.calls.get()).isEqualTo(1);

    a.failure = b.failure = Status.NOT_FOUND.withDescription("no such key").asException();
    assertThatThrownBy(() -> stub.get("k")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.status()).isEqualTo(Status.NOT_FOUND.withDescription("no such key")));
    assertThat(a.calls.get() + b.calls.get()).isEqualTo(2);
  }

  @Test
  void internalErrorsAreRetriedOnlyForIdempotentMethods() {
    Node failing = node();
    Node healthy = node();
    failing.failure = Status.INTERNAL.withDescription("disk full").asException();
    Inventory stub = stub(client(List.of(failing.name, healthy.name), x -> x));
    for (int i = 0; i < 10; i++) {
      assertThat(stub.get("k")).isEqualTo(healthy.name + ":k");
    }
    assertThat(healthy.calls).hasValue(10);

    Node failing2 = node();
    Node healthy2 = node();
    failing2.failure = Status.INTERNAL.withDescription("disk full").asException();
    Inventory stub2 = stub(client(List.of(failing2.name, healthy2.name), x -> x));
    int failures = 0;
    for (int i = 0; i < 10; i++) {
      try {
        stub2.put("k");
      } catch (RpcException e) {
        assertThat(e.status()).isEqualTo(Status.INTERNAL.withDescription("disk full"));
        failures++;
      }
    }
    assertThat(failures).isPositive().isEqualTo(failing2.calls.get());
    assertThat(failing2.calls.get() + healthy2.calls.get()).as("no call ran twice").isEqualTo(10);
  }

  @Test
  void aCallLostWithItsProviderIsRetriedIfIdempotent() throws Exception {
    Node doomed = node();
    Node survivor = node();
    doomed.gate = new CountDownLatch(1);
    Inventory stub = stub(client(List.of(doomed.name, survivor.name), x -> x));
    CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> stub.get("k"));
    io.courier.Polling.await("the call to reach the doomed provider", () -> doomed.calls.get() == 1);
    servers.get(doomed.name).shutdown(Duration.ZERO);
    assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo(survivor.name + ":k");
  }

  @Test
  void aCallLostWithItsProviderIsNotRetriedIfNotIdempotentAndSaysWhy() {
    Node doomed = node();
    Node survivor = node();
    doomed.gate = new CountDownLatch(1);
    Inventory stub = stub(client(List.of(doomed.name, survivor.name), x -> x));
    CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> stub.put("k"));
    io.courier.Polling.await("the call to reach the doomed provider", () -> doomed.calls.get() == 1);
    servers.get(doomed.name).shutdown(Duration.ZERO);
    assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
          assertThat(e.status().description()).contains("server closed", "not retried",
              "may have run", "test.Inventory/put is not @Idempotent");
        });
    assertThat(survivor.calls).hasValue(0);
  }

  @Test
  void failfastMakesOneAttempt() {
    Node a = node();
    String ghost = "ghost-" + NAMES.incrementAndGet();
    Inventory stub = stub(client(List.of(ghost, a.name), x -> x));
    assertThatThrownBy(() -> stub.once("k")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    assertThat(transport.totalAttempts()).isEqualTo(1);
    assertThat(a.calls).hasValue(0);
  }

  @Test
  void clusterOptionsAnInterceptorSetsForOneCallOverrideTheStubsPlan() {
    List<String> ghosts = List.of("ghost-" + NAMES.incrementAndGet(), "ghost-" + NAMES.incrementAndGet());
    Inventory stub = stub(client(ghosts, b -> b.outlierDetection(0, Duration.ofSeconds(1), Duration.ofSeconds(1))
        .interceptor((invocation, next) -> next.proceed(invocation.arguments()[0].equals("once")
            ? invocation.withOptions(invocation.options().with(ClusterOptions.MODE, ClusterMode.FAILFAST))
            : invocation))));
    assertThatThrownBy(() -> stub.put("once")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    assertThat(transport.totalAttempts()).as("failfast, set for this call").isEqualTo(1);
    assertThatThrownBy(() -> stub.put("again")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.status().description()).contains("failed on all 3 attempts"));
    assertThat(transport.totalAttempts()).as("failover, as planned").isEqualTo(4);
  }

  @Test
  void failsafeReturnsTheDefaultValue() {
    Node a = node();
    a.failure = Status.INTERNAL.withDescription("broken").asException();
    Inventory stub = stub(client(List.of(a.name), x -> x));
    assertThat(stub.count("k")).isZero();
    a.failure = null;
    assertThat(stub.count("k")).isEqualTo(7);
  }

  @Test
  void forkingTakesTheFirstAnswerAndCancelsTheOthers() {
    Node stuck1 = node();
    Node stuck2 = node();
    Node quick = node();
    stuck1.gate = new CountDownLatch(1);
    stuck2.gate = new CountDownLatch(1);
    CountDownLatch bothStuck = new CountDownLatch(2);
    stuck1.entered = stuck2.entered = bothStuck;
    quick.gate = bothStuck; // answers once the others are surely running, so they are cancelled mid-call
    Inventory stub = stub(client(List.of(stuck1.name, stuck2.name, quick.name), x -> x));
    long start = System.nanoTime();
    assertThat(stub.fastest("k")).isEqualTo(quick.name + ":k");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(transport.totalAttempts()).isEqualTo(3);
    for (Node stuck : List.of(stuck1, stuck2)) {
      io.courier.Polling.await("the losing fork on " + stuck.name + " to be cancelled mid-call",
          () -> stuck.cutShort.get() == 1);
    }
  }

  @Test
  void forkingFailsOnlyWhenEveryForkFails() {
    List<Node> nodes = List.of(node(), node(), node());
    nodes.forEach(n -> n.failure = Status.INTERNAL.withDescription("down").asException());
    Inventory stub = stub(client(nodes.stream().map(n -> n.name).toList(), x -> x));
    assertThatThrownBy(() -> stub.fastest("k")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.INTERNAL);
      assertThat(e.status().description()).contains("all 3 forks failed");
    });
    nodes.get(1).failure = null;
    assertThat(stub.fastest("k")).isEqualTo(nodes.get(1).name + ":k");
  }

  @Test
  void broadcastReachesEveryProviderAndFailsIfAnyFails() {
    List<Node> nodes = List.of(node(), node(), node());
    Inventory stub = stub(client(nodes.stream().map(n -> n.name).toList(), x -> x));
    stub.invalidate("k");
    nodes.forEach(n -> assertThat(n.calls).hasValue(1));

    nodes.get(1).failure = Status.INTERNAL.withDescription("cache locked").asException();
    assertThatThrownBy(() -> stub.invalidate("k")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.INTERNAL);
      assertThat(e.status().description()).contains("cache locked",
          "broadcast: 1 of 3 providers failed: [" + nodes.get(1).name + ":0 (INTERNAL)]");
    });
    nodes.forEach(n -> assertThat(n.calls).hasValue(2));
  }

  @Test
  void theRetryBudgetStopsRetriesWhenTheWholeServiceFailsAndRefills() {
    List<Node> nodes = List.of(node(), node(), node());
    nodes.forEach(n -> n.failure = Status.UNAVAILABLE.withDescription("maintenance").asException());
    Inventory stub = stub(client(nodes.stream().map(n -> n.name).toList(), b -> b.retryBudget(10, 0.1)
        .outlierDetection(0, Duration.ofSeconds(1), Duration.ofSeconds(1))));
    // 10 tokens; a failure takes 1; retries only while more than 5 are left.
    assertThat(attemptsOfAFailingPut(stub)).isEqualTo(3); // 10 -> 7: every attempt allowed
    assertThat(attemptsOfAFailingPut(stub)).isEqualTo(2); // 7 -> 5: the second failure spends the budget
    for (int i = 0; i < 4; i++) {
      assertThat(attemptsOfAFailingPut(stub)).isEqualTo(1); // 5 -> 1
    }
    nodes.forEach(n -> n.failure = null);
    for (int i = 0; i < 60; i++) {
      stub.put("ok"); // each answer gives back 0.1: 1 -> 7
    }
    nodes.forEach(n -> n.failure = Status.UNAVAILABLE.withDescription("maintenance").asException());
    assertThat(attemptsOfAFailingPut(stub)).isEqualTo(2); // 7 -> 5
  }

  private int attemptsOfAFailingPut(Inventory stub) {
    int before = transport.totalAttempts();
    assertThatThrownBy(() -> stub.put("k")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
      int attempts = transport.totalAttempts() - before;
      if (attempts == 3) {
        assertThat(e.status().description()).contains("failed on all 3 attempts");
      } else {
        assertThat(e.status().description()).contains("not retried: the retry budget of test.Inventory is spent");
      }
    });
    return transport.totalAttempts() - before;
  }

  @Test
  void theDeadlineCoversEveryAttempt() {
    List<Node> nodes = List.of(node(), node(), node());
    RpcClient client = client(nodes.stream().map(n -> n.name).toList(), x -> x);
    Inventory stub = client.create(Inventory.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(380)));
    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.slowlyUnavailable(150)).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).as(e.toString()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(transport.totalAttempts()).isEqualTo(3); // two of 150 ms each, the third cut short at 380 ms
    io.courier.Polling.await("the last attempt to be cut short on its provider",
        () -> nodes.stream().mapToInt(n -> n.cutShort.get()).sum() == 1);
  }

  @Test
  void noProviderIsUnavailableAndSaysWhereItLooked() {
    RpcClient client = RpcClient.builder().transport(transport).serializerProvider(new NoOpSerializerProvider())
        .endpointSource(new EndpointSource() {
          @Override
          public List<Endpoint> endpoints(ServiceDescriptor service) {
            return List.of();
          }

          @Override
          public String describe() {
            return "an empty test list";
          }
        }).build();
    resources.add(client);
    assertThatThrownBy(() -> client.create(Inventory.class).get("k")).isInstanceOfSatisfying(RpcException.class,
        e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
          assertThat(e.status().description())
              .isEqualTo("no provider of test.Inventory is known (an empty test list lists none)");
        });
  }

  @Test
  void configurationErrorsNameWhatIsWrongAndWhatIsAvailable() {
    Node a = node();
    RpcClient client = client(List.of(a.name), x -> x);
    assertThatThrownBy(() -> client.create(Inventory.class,
        CallOptions.DEFAULT.with(ClusterOptions.LOAD_BALANCER, "fastest-ever")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown load balancer 'fastest-ever' (available: ")
        .hasMessageContaining(LoadBalancers.P2C).hasMessageContaining(LoadBalancers.CONSISTENT_HASH);
    assertThatThrownBy(() -> client.create(Inventory.class, CallOptions.DEFAULT.with(ClusterOptions.MAX_ATTEMPTS, 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("courier.maxAttempts: 0 (expected: >= 1)");
    assertThatThrownBy(() -> client.create(Misconfigured.class)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("@LoadBalance of test.Misconfigured/call: unknown load balancer 'fastest-ever'");
    assertThatThrownBy(() -> RpcClient.builder().transport(transport).address("x:0").loadBalancer("nope").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown load balancer 'nope'");
  }

  @Test
  void everyBalancerServesCallsEndToEnd() {
    List<Node> nodes = List.of(node(), node(), node());
    RpcClient client = client(nodes.stream().map(n -> n.name).toList(), x -> x);
    for (String name : LoadBalancers.available().keySet()) {
      Inventory stub = client.create(Inventory.class, CallOptions.DEFAULT.with(ClusterOptions.LOAD_BALANCER, name));
      for (int i = 0; i < 30; i++) {
        assertThat(stub.get("k" + i)).endsWith(":k" + i);
      }
    }
    assertThat(nodes.stream().mapToInt(n -> n.calls.get()).sum()).isEqualTo(30 * LoadBalancers.available().size());
  }

  // --- fixtures ---------------------------------------------------------------------------------------------------

  private final java.util.Map<String, RpcServer> servers = new java.util.concurrent.ConcurrentHashMap<>();

  private Node node() {
    Node node = new Node("node-" + NAMES.incrementAndGet());
    start(node);
    return node;
  }

  private void start(Node node) {
    RpcServer server = RpcServer.builder().host(node.name).listen("inprocess", 0).service(Inventory.class, node)
        .serializerProvider(new NoOpSerializerProvider()).gracePeriod(Duration.ZERO).build().start();
    servers.put(node.name, server);
    resources.add(server);
  }

  private RpcClient client(List<String> hosts, java.util.function.UnaryOperator<RpcClient.Builder> configure) {
    RpcClient.Builder builder = RpcClient.builder().transport(transport)
        .serializerProvider(new NoOpSerializerProvider()).loadBalancer(LoadBalancers.ROUND_ROBIN);
    hosts.forEach(h -> builder.address(h + ":0"));
    RpcClient client = configure.apply(builder).build();
    resources.add(client);
    return client;
  }

  private Inventory stub(RpcClient client) {
    return client.create(Inventory.class);
  }
}
