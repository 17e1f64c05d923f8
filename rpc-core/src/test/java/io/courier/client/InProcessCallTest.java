package io.courier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.NoOpSerializerProvider;
import io.courier.common.CallOptions;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.MetricsRecorder;
import io.courier.common.OneWay;
import io.courier.common.RpcException;
import io.courier.common.RpcService;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.common.Timeout;
import io.courier.internal.client.StubInvocationHandler;
import io.courier.internal.cluster.CallPlan;
import io.courier.server.RpcServer;
import io.courier.server.ServerContext;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServerMetricsInterceptor;
import io.courier.server.ServiceOptions;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole call path above the wire, on the in-process transport. */
class InProcessCallTest {

  static final Metadata.Key<String> TOKEN = Metadata.Key.of("token");

  public static class InsufficientFunds extends Exception {
    public InsufficientFunds(String message) {
      super(message);
    }
  }

  @RpcService(name = "test.Bank")
  public interface Bank {
    long balance(String account);

    CompletableFuture<Long> balanceAsync(String account);

    void withdraw(String account, long amount) throws InsufficientFunds;

    String whoAmI();

    String block(long millis);

    @Timeout(50)
    String blockBriefly(long millis);

    @OneWay
    void audit(String line);

    default String describe() {
      return "bank of " + whoAmI();
    }
  }

  @RpcService(name = "test.Bank")
  public interface BankV2 {
    long balance(String account);

    void closeAccount(String account);
  }

  @RpcService(name = "test.Unknown")
  public interface Unknown {
    void anything();
  }

  static class BankImpl implements Bank {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicReference<ServerContext> lastContext = new AtomicReference<>();
    final List<String> audit = Collections.synchronizedList(new ArrayList<>());

    @Override
    public long balance(String account) {
      if (account == null) {
        throw new IllegalArgumentException("account is required");
      }
      return account.length() * 100L;
    }

    @Override
    public CompletableFuture<Long> balanceAsync(String account) {
      return CompletableFuture.supplyAsync(() -> balance(account));
    }

    @Override
    public void withdraw(String account, long amount) throws InsufficientFunds {
      throw new InsufficientFunds("only " + balance(account) + " left in " + account);
    }

    @Override
    public String whoAmI() {
      return ServerContext.current().headers().get(TOKEN);
    }

    @Override
    public String block(long millis) {
      ServerContext context = ServerContext.current();
      lastContext.set(context);
      try {
        release.await(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return context.isCancelled() ? "cancelled" : "done";
    }

    @Override
    public String blockBriefly(long millis) {
      return block(millis);
    }

    @Override
    public void audit(String line) {
      audit.add(line);
    }
  }

  private final BankImpl bank = new BankImpl();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    bank.release.countDown();
    Collections.reverse(resources);
    for (AutoCloseable c : resources) {
      c.close();
    }
  }

  private RpcServer server(RpcServer.Builder builder) {
    RpcServer server = builder.listen("inprocess", 0).service(Bank.class, bank)
        .serializerProvider(new NoOpSerializerProvider()).build().start();
    resources.add(server);
    return server;
  }

  private RpcClient client(RpcServer server, RpcClient.Builder builder) {
    RpcClient client = builder.transport("inprocess")
        .address(server.addresses().get(0).getHostString() + ":0")
        .serializerProvider(new NoOpSerializerProvider()).build();
    resources.add(client);
    return client;
  }

  private Bank bankStub() {
    return client(server(RpcServer.builder()), RpcClient.builder()).create(Bank.class);
  }

  @Test
  void genericCallsNeedTheJsonSerializerAndRefuseAnother() {
    RpcClient client = client(server(RpcServer.builder()), RpcClient.builder());
    assertThatThrownBy(() -> client.generic("test.Bank")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("generic calls need the json serializer")
        .hasMessageContaining("add io.courier:courier-serialization-json");
    assertThatThrownBy(() -> client.generic("test.Bank", CallOptions.DEFAULT.withSerializer("kryo")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serializer: kryo (expected: json or none; generic calls carry their arguments and result as"
            + " JSON)");
    assertThatThrownBy(() -> client.generic("test/Bank")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("service: 'test/Bank'");
  }

  @Test
  void synchronousAndAsynchronousCalls() throws Exception {
    Bank stub = bankStub();
    assertThat(stub.balance("abc")).isEqualTo(300);
    assertThat(stub.balanceAsync("abcd").get(5, TimeUnit.SECONDS)).isEqualTo(400);
  }

  @Test
  void objectAndDefaultMethodsRunLocally() {
    Bank stub = bankStub();
    assertThat(stub).isEqualTo(stub);
    assertThat(stub.hashCode()).isEqualTo(System.identityHashCode(stub));
    assertThat(stub.toString()).startsWith("Bank stub (inprocess");
    RpcClient client = (RpcClient) resources.get(1);
    Bank withToken = client.withOptions(stub, CallOptions.DEFAULT.withHeader(TOKEN, "alice"));
    assertThat(withToken.describe()).isEqualTo("bank of alice");
  }

  @Test
  void applicationExceptionsArriveAsTheirOwnType() {
    Bank stub = bankStub();
    assertThatThrownBy(() -> stub.withdraw("ab", 1_000)).isInstanceOf(InsufficientFunds.class)
        .hasMessage("only 200 left in ab");
    assertThatThrownBy(() -> stub.balance(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("account is required");
    assertThatThrownBy(() -> stub.balanceAsync(null).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownServiceAndMethodAreUnimplementedAndNamed() {
    RpcServer server = server(RpcServer.builder());
    RpcClient client = client(server, RpcClient.builder());
    assertThatThrownBy(() -> client.create(BankV2.class).closeAccount("a")).isInstanceOfSatisfying(
        RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
          assertThat(e.status().description()).isEqualTo("unknown method closeAccount of service test.Bank");
        });
    assertThatThrownBy(() -> client.create(Unknown.class).anything())
        .isInstanceOfSatisfying(RpcException.class,
            e -> assertThat(e.status().description()).isEqualTo("unknown service test.Unknown"));
  }

  @Test
  void deadlineExceededCancelsTheServerSide() {
    Bank stub = bankStub();
    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.blockBriefly(10_000)).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    ServerContext context = bank.lastContext.get();
    assertThat(context).isNotNull();
    assertThat(context.deadline()).isNotNull();
    pollUntil(context::isCancelled);
  }

  @Test
  void aBlockedCallerFailsAtItsDeadlineAndInterceptorsSeeTheSameFailure() {
    // a synchronous caller enforces the deadline itself (no timer task): same status, same message, same
    // cancellation as the timer gives an asynchronous call
    AtomicReference<Throwable> seen = new AtomicReference<>();
    RpcServer server = server(RpcServer.builder());
    RpcClient client = client(server, RpcClient.builder().interceptor((inv, next) ->
        next.proceed(inv).whenComplete((v, e) -> seen.set(e))));
    Bank stub = client.create(Bank.class);
    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.blockBriefly(10_000)).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
      assertThat(e.status().description()).isEqualTo("deadline exceeded after 50 ms calling test.Bank/blockBriefly");
    });
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(40L, 5_000L);
    pollUntil(() -> seen.get() != null);
    assertThat(Status.fromThrowable(seen.get()).code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
    pollUntil(() -> bank.lastContext.get() != null && bank.lastContext.get().isCancelled());
    assertThat(stub.balance("abc")).isEqualTo(300); // the thread's state is clean for the next call
  }

  @Test
  void anAsynchronousCallTimesOutByTheTimer() {
    RpcServer server = server(RpcServer.builder());
    RpcClient client = client(server, RpcClient.builder().defaultTimeout(Duration.ofMillis(50)));
    @RpcService(name = "test.Bank")
    interface AsyncBlock {
      CompletableFuture<String> block(long millis);
    }
    CompletableFuture<String> call = client.create(AsyncBlock.class).block(10_000);
    assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RpcException.class)
        .satisfies(e -> assertThat(((RpcException) e.getCause()).code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    pollUntil(() -> bank.lastContext.get() != null && bank.lastContext.get().isCancelled());
  }

  @Test
  void callbacksThatWaitForEachOtherEachGetAThreadOfTheCallbackPool() throws Exception {
    RpcClient client = client(server(RpcServer.builder()), RpcClient.builder());
    @RpcService(name = "test.Bank")
    interface AsyncBlock {
      CompletableFuture<String> block(long millis);
    }
    AsyncBlock stub = client.create(AsyncBlock.class);
    int calls = 32;
    CountDownLatch callbacksRunning = new CountDownLatch(calls);
    List<CompletableFuture<String>> outcomes = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      // the answers are held until every callback is attached, so each callback runs on the pool, not here
      outcomes.add(stub.block(20_000).thenApply(answer -> {
        callbacksRunning.countDown();
        try {
          boolean all = callbacksRunning.await(10, TimeUnit.SECONDS);
          return answer + (all ? " together" : " alone") + " on " + Thread.currentThread().getName();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "interrupted";
        }
      }));
    }
    bank.release.countDown();
    for (CompletableFuture<String> outcome : outcomes) {
      assertThat(outcome.get(15, TimeUnit.SECONDS)).startsWith("done together on courier-callback");
    }
  }

  @RpcService(name = "test.Relay")
  public interface Relay {
    String relay(long millis);
  }

  @Test
  void aCallMadeInsideAServiceCallInheritsWhatIsLeftOfItsDeadline() {
    RpcServer bankServer = server(RpcServer.builder());
    Bank bankStub = client(bankServer, RpcClient.builder().defaultTimeout(Duration.ofSeconds(30))).create(Bank.class);
    Relay relayImpl = bankStub::block; // a service that calls another with the client's 30 s default
    RpcServer relayServer = RpcServer.builder().host("relay-host").listen("inprocess", 0)
        .service(Relay.class, relayImpl).serializerProvider(new NoOpSerializerProvider()).build().start();
    resources.add(relayServer);
    Relay relay = client(relayServer, RpcClient.builder()).create(Relay.class,
        CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
    long start = System.nanoTime();
    assertThatThrownBy(() -> relay.relay(20_000)).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    ServerContext inner = bank.lastContext.get();
    assertThat(inner).as("the relayed call reached the bank").isNotNull();
    assertThat(inner.deadline().timeRemaining(TimeUnit.MILLISECONDS)).as("the relay's deadline, not 30 s")
        .isLessThanOrEqualTo(300);
    pollUntil(inner::isCancelled); // the inner call ends at the outer deadline, not 30 s later
    assertThat(bankStub.balance("abc")).as("outside a service call, the default applies again").isEqualTo(300);
  }

  @Test
  void aStubHoldsAPlanPerMethodResolvedOnceAndACopyWithOptionsHasItsOwn() throws Exception {
    RpcClient client = client(server(RpcServer.builder()), RpcClient.builder());
    Bank stub = client.create(Bank.class);
    Method brief = Bank.class.getMethod("blockBriefly", long.class);
    CallPlan plan = StubInvocationHandler.of(stub).plan(brief);
    assertThat(plan.timeout()).as("the @Timeout").isEqualTo(Duration.ofMillis(50));
    stub.balance("abc");
    assertThat(StubInvocationHandler.of(stub).plan(brief)).isSameAs(plan);
    Bank patient = client.withOptions(stub, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
    assertThat(StubInvocationHandler.of(patient).plan(brief).timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(StubInvocationHandler.of(stub).plan(Object.class.getMethod("toString"))).isNull();
  }

  @Test
  void callOptionsTimeoutOverridesTheAnnotation() {
    RpcServer server = server(RpcServer.builder());
    RpcClient client = client(server, RpcClient.builder());
    Bank patient = client.create(Bank.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
    CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> patient.blockBriefly(20_000));
    pollUntil(() -> bank.lastContext.get() != null);
    bank.release.countDown();
    assertThat(result.join()).isEqualTo("done");
  }

  @Test
  void cancellingAnAsyncCallCancelsItOnTheServer() {
    RpcServer server = server(RpcServer.builder());
    RpcClient client = client(server, RpcClient.builder());
    @RpcService(name = "test.Bank")
    interface AsyncBlock {
      CompletableFuture<String> block(long millis);
    }
    CompletableFuture<String> call = client.create(AsyncBlock.class).block(20_000);
    pollUntil(() -> bank.lastContext.get() != null);
    call.cancel(true);
    pollUntil(() -> bank.lastContext.get().isCancelled());
    assertThat(bank.lastContext.get().cancellationStatus().code()).isEqualTo(StatusCode.CANCELLED);
  }

  @Test
  void interceptorsRunInOrderAndMayProceedOnlyOnce() {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    ServerInterceptor serverSide = (call, next) -> {
      order.add("server");
      return next.proceed(call);
    };
    RpcServer server = server(RpcServer.builder().interceptor(serverSide));
    RpcClient client = client(server, RpcClient.builder()
        .interceptor((inv, next) -> {
          order.add("first");
          assertThat(inv.deadline()).isNotNull();
          return next.proceed(inv.withOptions(inv.options().withHeader(TOKEN, "bob")));
        })
        .interceptor((inv, next) -> {
          order.add("second");
          return next.proceed(inv);
        }));
    assertThat(client.create(Bank.class).whoAmI()).isEqualTo("bob");
    assertThat(order).containsExactly("first", "second", "server");

    RpcClient twice = client(server, RpcClient.builder().interceptor((inv, next) -> {
      next.proceed(inv);
      return next.proceed(inv);
    }));
    assertThatThrownBy(() -> twice.create(Bank.class).whoAmI()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("called proceed() twice");
  }

  @Test
  void serverInterceptorCanRejectWithAStatus() {
    RpcServer server = server(RpcServer.builder().interceptor((call, next) -> call.headers().containsKey(TOKEN)
        ? next.proceed(call)
        : CompletableFuture.failedFuture(Status.UNAUTHENTICATED.withDescription("token required").asException())));
    Bank stub = client(server, RpcClient.builder()).create(Bank.class);
    assertThatThrownBy(() -> stub.balance("a")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.status()).isEqualTo(Status.UNAUTHENTICATED.withDescription("token required")));
  }

  @Test
  void fullWorkerPoolRefusesAtOnce() throws Exception {
    RpcServer server = server(RpcServer.builder().workerThreads(1).workerQueue(0));
    RpcClient client = client(server, RpcClient.builder());
    Bank stub = client.create(Bank.class);
    CompletableFuture<String> occupying = CompletableFuture.supplyAsync(() -> stub.block(20_000));
    pollUntil(() -> bank.lastContext.get() != null);
    assertThatThrownBy(() -> stub.balance("a")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
      assertThat(e.status().description()).contains("worker pool (1 threads, queue 0)");
    });
    bank.release.countDown();
    assertThat(occupying.get(5, TimeUnit.SECONDS)).isEqualTo("done");
  }

  @Test
  void aCallWhoseDeadlinePassedWhileItWaitedForAWorkerIsNeverStarted() throws Exception {
    RpcServer server = server(RpcServer.builder().workerThreads(1));
    RpcClient client = client(server, RpcClient.builder());
    Bank stub = client.create(Bank.class);
    CompletableFuture<String> occupying = CompletableFuture.supplyAsync(() -> stub.block(20_000));
    pollUntil(() -> bank.lastContext.get() != null);
    ServerContext occupier = bank.lastContext.get();
    // queued behind the one worker; its 50 ms pass while it waits
    assertThatThrownBy(() -> stub.blockBriefly(0)).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    bank.release.countDown();
    assertThat(occupying.get(5, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(stub.balance("abc")).isEqualTo(300); // queued after it: by now the late call was taken off the queue
    assertThat(bank.lastContext.get()).as("the late call never ran (it would have set the context)")
        .isSameAs(occupier);
  }

  @Test
  void ioThreadServicesRunOnTheCallingThread() {
    AtomicReference<String> thread = new AtomicReference<>();
    RpcServer server = RpcServer.builder().listen("inprocess", 0).serializerProvider(new NoOpSerializerProvider())
        .service(Bank.class, new BankImpl() {
          @Override
          public long balance(String account) {
            thread.set(Thread.currentThread().getName());
            return 1;
          }
        }, ServiceOptions.DEFAULT.onIoThread()).build().start();
    resources.add(server);
    client(server, RpcClient.builder()).create(Bank.class).balance("x");
    assertThat(thread.get()).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void oneWayReturnsBeforeTheServerRuns() {
    Bank stub = bankStub();
    stub.audit("opened");
    pollUntil(() -> bank.audit.contains("opened"));
  }

  @Test
  void metricsInterceptorsSeeStatuses() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    MetricsRecorder recorder = new MetricsRecorder() {
      @Override
      public void callStarted(Side side, MethodDescriptor method) {
        events.add(side + " start " + method.name());
      }

      @Override
      public void callCompleted(Side side, MethodDescriptor method, StatusCode code, long nanos) {
        events.add(side + " " + code + " " + method.name());
      }
    };
    RpcServer server = server(RpcServer.builder().interceptor(new ServerMetricsInterceptor(recorder)));
    Bank stub = client(server, RpcClient.builder().interceptor(new ClientMetricsInterceptor(recorder)))
        .create(Bank.class);
    stub.balance("a");
    assertThatThrownBy(() -> stub.balance(null)).isInstanceOf(IllegalArgumentException.class);
    pollUntil(() -> events.size() == 8);
    assertThat(events).contains("CLIENT OK balance", "SERVER OK balance", "CLIENT UNKNOWN balance",
        "SERVER UNKNOWN balance");
  }

  @Test
  void gracefulShutdownLetsCallsInFlightFinish() throws Exception {
    RpcServer server = server(RpcServer.builder());
    Bank stub = client(server, RpcClient.builder()).create(Bank.class);
    CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> stub.block(20_000));
    pollUntil(() -> server.inFlightCalls() == 1);
    CompletableFuture<Void> shutdown = server.shutdown(Duration.ofSeconds(10));
    assertThat(shutdown).isNotDone();
    assertThatThrownBy(() -> stub.balance("a")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    bank.release.countDown();
    assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("done");
    shutdown.get(5, TimeUnit.SECONDS);
  }

  @Test
  void configurationErrorsSayWhatToDo() {
    assertThatThrownBy(() -> RpcClient.builder().transport("carrier-pigeon").address("a:1").build())
        .hasMessageContaining("unknown transport 'carrier-pigeon' (available: inprocess");
    assertThatThrownBy(() -> RpcClient.builder().transport("inprocess").build())
        .hasMessageContaining("no providers configured");
    RpcServer server = server(RpcServer.builder());
    assertThatThrownBy(() -> client(server, RpcClient.builder().serializer("yaml")))
        .hasMessageContaining("unknown serializer 'yaml' (available: noop");
    @RpcService
    interface Threads {
      Thread current();
    }
    RpcClient client = client(server, RpcClient.builder());
    assertThatThrownBy(() -> client.create(Threads.class))
        .hasMessageContaining("current cannot use serializer 'noop': noop cannot carry threads");
    assertThatThrownBy(() -> RpcServer.builder().listen("inprocess", 0).build())
        .hasMessageContaining("no service exported");
  }

  static void pollUntil(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
