package io.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.courier.client.RpcClient;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.Metadata;
import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.server.RpcServer;
import io.courier.server.ServerContext;
import io.courier.testing.proto.EchoReply;
import io.courier.testing.proto.EchoRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every transport must have, end to end through stubs, an {@code RpcClient} and an {@code RpcServer}
 * (over real sockets, but for the in-process transport): each test runs once per serializer on the test class path.
 * A transport's test extends this and names the transport; it may add options and tests of its own.
 * {@link AbstractTransportContractTest} checks the same transports beneath the client and the server, against the
 * transport SPI's contracts.
 *
 * <pre>{@code
 * class TcpTransportTest extends AbstractTransportTest {
 *   @Override protected String transport() { return "tcp"; }
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractTransportTest {

  private static final Metadata.Key<String> TENANT = Metadata.Key.of("x-tenant");

  protected final EchoServiceImpl echo = new EchoServiceImpl();
  protected RpcServer server;
  private final Map<String, RpcClient> clients = new ConcurrentHashMap<>();
  private final List<AutoCloseable> extra = new ArrayList<>();

  /** The transport under test, by name. */
  protected abstract String transport();

  /** The host servers bind: the loopback address (the in-process transport: a name, unique per server). */
  protected String host() {
    return "127.0.0.1";
  }

  /** Adds transport-specific settings to a server builder. */
  protected RpcServer.Builder configure(RpcServer.Builder builder) {
    return builder;
  }

  /** Adds transport-specific settings to a client builder. */
  protected RpcClient.Builder configure(RpcClient.Builder builder) {
    return builder;
  }

  @BeforeAll
  void startServer() {
    server = startServer(echo);
  }

  @AfterAll
  void stopServer() throws Exception {
    for (RpcClient client : clients.values()) {
      client.close();
    }
    for (AutoCloseable c : extra) {
      c.close();
    }
    server.close();
  }

  @AfterEach
  void wakeSleepers() {
    echo.wake.getAndSet(new CountDownLatch(1)).countDown();
  }

  /** Starts another server of this transport on a free port, closed after the class. */
  protected RpcServer startServer(EchoServiceImpl implementation) {
    return configure(RpcServer.builder().host(host()).listen(transport(), 0)
        .service(EchoService.class, implementation)
        .service(ProtoEchoService.class, new ProtoEchoService.Impl()))
        .build().start();
  }

  /** A client of {@code target} (host:port) with {@code serializer}; the caller closes it. */
  protected RpcClient newClient(String target, String serializer) {
    return configure(RpcClient.builder().transport(transport()).address(target).serializer(serializer)).build();
  }

  /** The shared client of the class server for {@code serializer}. */
  protected RpcClient client(String serializer) {
    return clients.computeIfAbsent(serializer, s -> newClient(target(server), s));
  }

  /** Where {@code server}'s listener is, as {@code host:port}. */
  protected static String target(RpcServer server) {
    return Endpoint.of(server.addresses().get(0)).toString();
  }

  protected EchoService echoStub(String serializer) {
    return client(serializer).create(EchoService.class);
  }

  /** Serializers on the class path that carry plain Java types (all but protobuf). */
  protected Stream<String> javaSerializers() {
    List<String> names = new ArrayList<>(SerializerSet.load(TypeAllowlist.withDefaults()).names());
    names.remove("protobuf");
    return names.stream();
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void synchronousCall(String serializer) {
    EchoService stub = echoStub(serializer);
    assertThat(stub.echo("héllo, wörld ✓")).isEqualTo("héllo, wörld ✓");
    assertThat(stub.add(40, 2)).isEqualTo(42);
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void asynchronousCall(String serializer) throws Exception {
    assertThat(echoStub(serializer).echoAsync("ping").get(10, TimeUnit.SECONDS)).isEqualTo("ping!");
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void nullsRoundTrip(String serializer) throws Exception {
    EchoService stub = echoStub(serializer);
    assertThat(stub.echo(null)).isNull();
    assertThat(stub.echoAsync(null).get(10, TimeUnit.SECONDS)).isNull();
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void collectionsAndRecords(String serializer) {
    EchoService stub = echoStub(serializer);
    assertThat(stub.reverse(List.of(1, 2, 3))).containsExactly(3, 2, 1);
    assertThat(stub.reverse(List.of())).isEmpty();
    assertThat(stub.count(Arrays.asList("a", "b", "a"))).containsExactly(Map.entry("a", 2L), Map.entry("b", 1L));
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("x", 1);
    EchoService.Parcel parcel = new EchoService.Parcel(7L, "ü-label", EchoService.Kind.LARGE,
        LocalDate.of(2026, 11, 22), List.of("t1", "t2"), counts, null);
    assertThat(stub.roundTrip(parcel)).isEqualTo(parcel);
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void applicationExceptionsKeepTheirTypeAndMessage(String serializer) throws Exception {
    EchoService stub = echoStub(serializer);
    assertThatThrownBy(() -> stub.fail("no funds")).isInstanceOf(EchoService.TestException.class)
        .hasMessage("no funds");
    assertThatThrownBy(() -> stub.failUnchecked("bad state")).isInstanceOf(IllegalStateException.class)
        .hasMessage("bad state");
    assertThat(stub.echo("still serving")).isEqualTo("still serving");
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void unknownServiceAndMethodAreUnimplemented(String serializer) {
    RpcClient client = client(serializer);
    assertThatThrownBy(() -> client.create(EchoService.Missing.class).anything())
        .isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
          assertThat(e.status().description()).isEqualTo("unknown service courier.testing.Missing");
        });
    assertThatThrownBy(() -> client.create(EchoService.WithExtraMethod.class).notThere())
        .isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
          assertThat(e.status().description())
              .isEqualTo("unknown method notThere of service courier.testing.EchoService");
        });
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void deadlineExceededFailsTheCallerAndCancelsTheServer(String serializer) {
    EchoService stub = client(serializer).create(EchoService.class,
        CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)));
    int before = echo.sleepers.size();
    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.sleep(30_000)).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    Polling.await("the server call to start", () -> echo.sleepers.size() > before);
    ServerContext context = echo.sleepers.get(echo.sleepers.size() - 1);
    assertThat(context.deadline()).isNotNull();
    Polling.await("the server call to be cancelled", context::isCancelled);
    // the connection still serves; with the default timeout, so that a loaded machine does not fail this check
    assertThat(echoStub(serializer).echo("after timeout")).isEqualTo("after timeout");
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void aThousandConcurrentCallsOnOneConnection(String serializer) throws Exception {
    EchoService stub = echoStub(serializer);
    List<CompletableFuture<String>> calls = IntStream.range(0, 1000)
        .mapToObj(i -> stub.echoAsync("call-" + i)).toList();
    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).get()).isEqualTo("call-" + i + "!");
    }
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void fiveMebibytePayload(String serializer) {
    byte[] payload = new byte[5 * 1024 * 1024];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    assertThat(echoStub(serializer).bytes(payload)).isEqualTo(payload);
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void headersReachTheServer(String serializer) {
    EchoService stub = client(serializer).create(EchoService.class,
        CallOptions.DEFAULT.withHeader(TENANT, "acme"));
    assertThat(stub.header("x-tenant")).isEqualTo("acme");
    assertThat(echoStub(serializer).header("x-tenant")).isNull();
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void oneWayCallsArrive(String serializer) {
    echoStub(serializer).fireAndForget("fired-" + serializer);
    Polling.await("the one-way call to arrive", () -> echo.fired.contains("fired-" + serializer));
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void serverStoppedMidCallFailsPendingCallsAsUnavailable(String serializer) throws Exception {
    EchoServiceImpl slow = new EchoServiceImpl();
    RpcServer doomed = startServer(slow);
    try (RpcClient client = newClient(target(doomed), serializer)) {
      EchoService stub = client.create(EchoService.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
      CompletableFuture<String> pending = CompletableFuture.supplyAsync(() -> stub.sleep(30_000));
      Polling.await("the call to reach the server", () -> !slow.sleepers.isEmpty());
      doomed.shutdown(Duration.ofMillis(50)).get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(RpcException.class,
              e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
      assertThatThrownBy(() -> stub.echo("gone")).isInstanceOfSatisfying(RpcException.class,
          e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    } finally {
      slow.wake.get().countDown();
      doomed.close();
    }
  }

  @ParameterizedTest
  @MethodSource("javaSerializers")
  void gracefulShutdownFinishesCallsInFlight(String serializer) throws Exception {
    EchoServiceImpl slow = new EchoServiceImpl();
    RpcServer stopping = startServer(slow);
    try (RpcClient client = newClient(target(stopping), serializer)) {
      EchoService stub = client.create(EchoService.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
      CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> stub.sleep(30_000));
      Polling.await("the call to reach the server", () -> !slow.sleepers.isEmpty());
      CompletableFuture<Void> shutdown = stopping.shutdown(Duration.ofSeconds(20));
      slow.wake.get().countDown();
      assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("done");
      shutdown.get(10, TimeUnit.SECONDS);
    } finally {
      stopping.close();
    }
  }

  @Test
  void protobufMessages() throws Exception {
    Assumptions.assumeTrue(SerializerSet.load(TypeAllowlist.withDefaults()).find("protobuf") != null,
        "protobuf serializer not on the class path");
    RpcClient client = client("protobuf");
    ProtoEchoService stub = client.create(ProtoEchoService.class);
    EchoRequest request = EchoRequest.newBuilder().setMessage("proto ✓").setPayload(ByteString.copyFromUtf8("p"))
        .addNumbers(1).addNumbers(2).build();
    EchoReply reply = stub.echo(request);
    assertThat(reply.getMessage()).isEqualTo("proto ✓");
    assertThat(reply.getNumbersList()).containsExactly(1, 2);
    assertThat(stub.echoAsync(request).get(10, TimeUnit.SECONDS)).isEqualTo(reply);
    assertThatThrownBy(() -> stub.fail(EchoRequest.newBuilder().setMessage("bad request").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("bad request");
    assertThatThrownBy(() -> client.create(EchoService.class)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("protobuf");
  }

  /** Keeps {@code resource} open until the class's tests are done. */
  protected <T extends AutoCloseable> T closeAfterAll(T resource) {
    extra.add(resource);
    return resource;
  }

  /** A mutable copy, for tests that change a map. */
  protected static <K, V> Map<K, V> mutable(Map<K, V> map) {
    return new HashMap<>(map);
  }
}
