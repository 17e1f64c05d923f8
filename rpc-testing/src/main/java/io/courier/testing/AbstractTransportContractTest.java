package io.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.Invocation;
import io.courier.common.CallOptions;
import io.courier.common.Deadline;
import io.courier.common.Endpoint;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.server.CallHead;
import io.courier.transport.ByteBudget;
import io.courier.transport.ClientTransport;
import io.courier.transport.ConnectionLostException;
import io.courier.transport.ServerCall;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerConnection;
import io.courier.transport.ServerTransport;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;
import io.courier.transport.TransportOptions;
import io.courier.transport.Transports;
import io.netty.util.HashedWheelTimer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contracts of the transport SPI, checked on a transport's own {@link ClientTransport} and {@link ServerTransport}
 * with no {@code RpcClient} or {@code RpcServer} in between: the test makes each {@link Invocation} itself, and the
 * server side is a recording {@link ServerCallHandler} whose {@link ServerCall}s the test closes by hand, as the core
 * would. What is checked is what the javadoc of {@link ClientTransport}, {@link ServerCall}, {@link ServerCallHandler}
 * and {@link ConnectionLostException} promises: a call completes exactly once, with the server's answer or the
 * cancellation status; a cancelled, expired or failed call leaves nothing pending in the client transport and the
 * server hears of it; {@link ConnectionLostException} marks a failure only once the request was handed off; a server
 * that closes or shuts down mid-call fails its callers' calls. {@link AbstractTransportTest} checks the same transports
 * end to end, through stubs.
 *
 * <p>A transport's test names the transport and says how many calls its client transport holds (a package-private
 * accessor, since nothing else can see it):
 *
 * <pre>{@code
 * class TcpTransportContractTest extends AbstractTransportContractTest {
 *   @Override protected String transport() { return "tcp"; }
 *   @Override protected int pendingCalls(ClientTransport client) {
 *     return ((TcpClientTransport) client).pendingCalls();
 *   }
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractTransportContractTest {

  private static final ServiceDescriptor ECHO = ServiceDescriptor.of(EchoService.class);
  private static final Metadata.Key<String> TENANT = Metadata.Key.of("x-tenant");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private HashedWheelTimer timer;
  private SerializerSet serializers;
  private Serializer serializer;
  private final List<AutoCloseable> closeAfterEach = new ArrayList<>();

  /** The server's side of every call, as the test sees it. */
  protected RecordingHandler handler;
  protected ServerTransport server;
  /** Where {@link #server} listens. */
  protected Endpoint endpoint;
  protected ClientTransport client;

  /** The transport under test, by the name its {@link TransportFactory} has. */
  protected abstract String transport();

  /**
   * How many calls {@code client} holds as pending — in its table of calls waiting for an answer, or queued for a
   * connection. Every call the contract says is over (answered, failed, cancelled, its connection closed) must be gone
   * from it.
   */
  protected abstract int pendingCalls(ClientTransport client);

  /** The settings of the client transports; the defaults unless overridden. */
  protected TransportOptions clientOptions() {
    return TransportOptions.DEFAULT;
  }

  /** The settings of the server transports; the defaults unless overridden. */
  protected TransportOptions serverOptions() {
    return TransportOptions.DEFAULT;
  }

  /** The serializers both sides have: those on the class path unless overridden. */
  protected SerializerSet serializers() {
    return SerializerSet.load(TypeAllowlist.withDefaults());
  }

  /** The serializer every call is made with: the first of {@link #serializers()} that carries plain Java types. */
  protected String serializerName() {
    return serializers.names().stream().filter(name -> !name.equals("protobuf")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no serializer for plain Java types on the class path "
            + serializers + "; add one as a test dependency or override serializerName()"));
  }

  /** The host the server binds (its name, for the in-process transport). */
  protected String host() {
    return "127.0.0.1";
  }

  /**
   * An endpoint no server answers at, which this test keeps so until it ends. By default a loopback port held by a
   * socket that is bound but does not listen: a connect to it is refused at once, and nobody else can take the port.
   */
  protected Endpoint unreachableEndpoint() throws IOException {
    Socket holder = new Socket();
    closeAfterEach(holder);
    holder.bind(new InetSocketAddress("127.0.0.1", 0));
    return new Endpoint("127.0.0.1", holder.getLocalPort());
  }

  /**
   * Whether the server transport opens a {@link ServerConnection} per connection and admits each call on it before it
   * buffers the payload ({@link ServerCallHandler#openConnection}, {@link ServerCallHandler#admit}). The in-process
   * transport does neither: the core admits its calls.
   */
  protected boolean presentsConnections() {
    return true;
  }

  /**
   * Whether the client, after a failed connect, fails calls to that endpoint at once for a backoff (ReconnectBackoff)
   * instead of each trying a connect of its own. The in-process transport does not connect.
   */
  protected boolean backsOffAfterAFailedConnect() {
    return true;
  }

  @BeforeAll
  void createTimerAndSerializers() {
    timer = new HashedWheelTimer();
    serializers = serializers();
    serializer = serializers.byName(serializerName());
  }

  @AfterAll
  void stopTimer() {
    timer.stop();
  }

  @BeforeEach
  void startServerAndClient() {
    handler = new RecordingHandler();
    server = startServer(handler);
    endpoint = Endpoint.of(server.localAddress());
    client = newClient();
  }

  @AfterEach
  void closeAll() throws Exception {
    List<AutoCloseable> resources = new ArrayList<>(closeAfterEach);
    closeAfterEach.clear();
    Collections.reverse(resources);
    for (AutoCloseable resource : resources) {
      resource.close();
    }
    client.close();
    server.close();
  }

  /** A server transport of {@link #transport()} on a free port, serving through {@code calls}; closed after a test. */
  protected ServerTransport startServer(ServerCallHandler calls) {
    ServerTransport started = factory().newServerTransport(new TransportContext(serializers, serverOptions(), timer));
    started.start(InetSocketAddress.createUnresolved(host(), 0), calls);
    closeAfterEach(started);
    return started;
  }

  /** A client transport of {@link #transport()}; closed after the test. */
  protected ClientTransport newClient() {
    ClientTransport created = factory().newClientTransport(new TransportContext(serializers, clientOptions(), timer));
    closeAfterEach(created);
    return created;
  }

  /** Closes {@code resource} after the test, before the class's server and client; the last added first. */
  protected <T extends AutoCloseable> T closeAfterEach(T resource) {
    closeAfterEach.add(resource);
    return resource;
  }

  private TransportFactory factory() {
    return Transports.find(transport());
  }

  /** A call of {@code EchoService.<method>} with {@code args}, a 30 s deadline and an {@code x-tenant} header. */
  protected Invocation invocation(String method, Object... args) {
    return invocation(ECHO.method(method), args).withDeadline(Deadline.after(Duration.ofSeconds(30)));
  }

  private Invocation invocation(MethodDescriptor method, Object... args) {
    assertThat(method).as("the EchoService method").isNotNull();
    return TestInvocations.unary(method, args, CallOptions.DEFAULT.withHeader(TENANT, "acme"), serializer);
  }

  /** The next call the server handed to the core, waiting up to 10 s for it. */
  protected ServerCall nextServerCall() throws InterruptedException {
    ServerCall call = handler.calls.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(call).as("a call handed to the server's ServerCallHandler within " + WAIT.toSeconds() + " s")
        .isNotNull();
    return call;
  }

  private void awaitNothingPending(ClientTransport transport) {
    Polling.await("the client transport to hold no pending call (it holds " + pendingCalls(transport) + ")",
        () -> pendingCalls(transport) == 0);
  }

  /** Makes one call, so that the client transport is connected to {@link #server}. */
  private void connect() throws Exception {
    CompletableFuture<Object> first = client.call(endpoint, invocation("echo", "connect"));
    nextServerCall().sendResponse("connected", Metadata.EMPTY);
    assertThat(resultOf(first)).isEqualTo("connected");
  }

  private void awaitConnectionsClosed(String why) {
    Polling.await("the server to see every connection close (" + why + ")",
        () -> handler.closedConnections.get() == handler.connections.size());
  }

  private static Object resultOf(CompletableFuture<Object> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The failure {@code future} completes with, within 10 s, as the {@link RpcException} the contract requires. */
  private static RpcException failureOf(CompletableFuture<Object> future) {
    Throwable failure;
    try {
      Object value = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError("expected the call to fail, but it completed with " + value);
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (Exception e) {
      throw new AssertionError("expected the call to fail within " + WAIT.toSeconds() + " s", e);
    }
    assertThat(failure).isInstanceOf(RpcException.class);
    return (RpcException) failure;
  }

  private static void awaitCancelled(AtomicInteger cancellations) {
    Polling.await("the server call's onCancel listener to run", () -> cancellations.get() > 0);
    assertThat(cancellations).as("onCancel listener runs").hasValue(1);
  }

  /** Registers a listener on {@code call} that counts how often it runs. */
  private static AtomicInteger cancellationsOf(ServerCall call) {
    AtomicInteger runs = new AtomicInteger();
    call.onCancel(runs::incrementAndGet);
    return runs;
  }

  // ---- a call is handed over as sent and completes exactly once ----

  @Test
  void aCallReachesTheServerAsSentAndCompletesWithItsAnswer() throws Exception {
    Invocation invocation = invocation("echo", "héllo ✓");
    CompletableFuture<Object> result = client.call(endpoint, invocation);

    ServerCall call = nextServerCall();
    assertThat(call.method().fullName()).isEqualTo(invocation.method().fullName());
    assertThat(call.headers().get(TENANT)).isEqualTo("acme");
    assertThat(call.deadline()).as("the caller's deadline").isNotNull();
    assertThat(call.deadline().timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1L, 30_000L);
    if (presentsConnections()) {
      assertThat(handler.admitted).as("the heads admitted").containsExactly(call.head());
      assertThat(handler.connections).as("the connections opened").contains(call.connection());
      assertThat(call.remoteAddress()).isNotNull();
    }
    assertThat(call.readArguments()).containsExactly("héllo ✓");
    assertThat(result).as("a call is not complete before the server answers").isNotDone();
    assertThat(pendingCalls(client)).as("calls pending while the server works").isEqualTo(1);

    AtomicInteger cancellations = cancellationsOf(call);
    call.sendResponse("héllo ✓!", Metadata.EMPTY);
    assertThat(resultOf(result)).isEqualTo("héllo ✓!");
    awaitNothingPending(client);

    // Closed calls are never cancelled, even when their connection closes afterwards.
    client.close();
    if (presentsConnections()) {
      awaitConnectionsClosed("the client closed");
    }
    assertThat(cancellations).as("onCancel of a call closed before its connection").hasValue(0);
  }

  @Test
  void aCallWithoutADeadlineReachesTheServerWithout() throws Exception {
    CompletableFuture<Object> result = client.call(endpoint, invocation(ECHO.method("echo"), "no deadline"));
    ServerCall call = nextServerCall();
    assertThat(call.deadline()).isNull();
    call.readArguments();
    call.sendResponse("done", Metadata.EMPTY);
    assertThat(resultOf(result)).isEqualTo("done");
  }

  @Test
  void theServersErrorFailsTheCallWithItsCodeAndDescription() throws Exception {
    Invocation invocation = invocation("echo", "x");
    CompletableFuture<Object> result = client.call(endpoint, invocation);
    ServerCall call = nextServerCall();
    // closed without reading the arguments: the transport releases the payload itself (leak detection checks it)
    call.sendError(Status.FAILED_PRECONDITION.withDescription("account 7 is closed"), Metadata.EMPTY);

    RpcException failure = failureOf(result);
    assertThat(failure.code()).isEqualTo(StatusCode.FAILED_PRECONDITION);
    assertThat(failure.status().description()).isEqualTo("account 7 is closed");
    awaitNothingPending(client);
    invocation.cancel(Status.CANCELLED.withDescription("too late"));
    assertThat(failureOf(result).code()).as("a completed call stays as it completed").isEqualTo(
        StatusCode.FAILED_PRECONDITION);
  }

  @Test
  void concurrentCallsEachCompleteOnceWithTheirOwnAnswer() throws Exception {
    int count = 64;
    List<CompletableFuture<Object>> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      results.add(client.call(endpoint, invocation("echo", "call-" + i)));
    }
    // answered in the reverse order of arrival, batch by batch (a transport may queue calls for a free connection)
    int answered = 0;
    while (answered < count) {
      List<ServerCall> batch = new ArrayList<>();
      batch.add(nextServerCall());
      handler.calls.drainTo(batch);
      Collections.reverse(batch);
      for (ServerCall call : batch) {
        call.sendResponse("re: " + call.readArguments()[0], Metadata.EMPTY);
      }
      answered += batch.size();
    }
    assertThat(answered).as("calls handed to the server, each once").isEqualTo(count);
    for (int i = 0; i < count; i++) {
      assertThat(resultOf(results.get(i))).isEqualTo("re: call-" + i);
    }
    awaitNothingPending(client);
    assertThat(handler.calls).isEmpty();
  }

  @Test
  void oneWayCallsCompleteOnceSentAndAreFreedWhenTheServerClosesThem() throws Exception {
    CompletableFuture<Object> result = client.call(endpoint, invocation("fireAndForget", "fired"));
    ServerCall call = nextServerCall();
    assertThat(call.method().isOneWay()).isTrue();
    assertThat(call.readArguments()).containsExactly("fired");
    assertThat(resultOf(result)).as("a one-way call completes once sent, before the server closes it").isNull();
    // The core closes one-way calls too: nothing reaches the caller, but a stream the call still holds may end.
    call.sendResponse(null, Metadata.EMPTY);
    awaitNothingPending(client);

    CompletableFuture<Object> next = client.call(endpoint, invocation("echo", "next"));
    ServerCall nextCall = nextServerCall();
    nextCall.sendResponse("next!", Metadata.EMPTY);
    assertThat(resultOf(next)).isEqualTo("next!");
  }

  @Test
  void unknownMethodsAreUnimplementedAndNeverHandled() throws Exception {
    MethodDescriptor notThere = ServiceDescriptor.of(EchoService.WithExtraMethod.class).method("notThere");
    Invocation invocation = TestInvocations.unary(notThere, new Object[0], CallOptions.DEFAULT, serializer)
        .withDeadline(Deadline.after(Duration.ofSeconds(30)));
    RpcException failure = failureOf(client.call(endpoint, invocation));
    assertThat(failure.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
    awaitNothingPending(client);

    CompletableFuture<Object> next = client.call(endpoint, invocation("echo", "next"));
    ServerCall call = nextServerCall();
    assertThat(call.method().name()).as("the call handled after the unknown one").isEqualTo("echo");
    call.sendResponse("next!", Metadata.EMPTY);
    assertThat(resultOf(next)).isEqualTo("next!");
  }

  @Test
  void aCallRefusedAtAdmissionIsAnsweredAndNeverHandled() throws Exception {
    Assumptions.assumeTrue(presentsConnections(), "the core admits this transport's calls");
    handler.admission = head -> head.methodName().equals("failUnchecked")
        ? Status.PERMISSION_DENIED.withDescription("not for tenant " + head.headers().get(TENANT)) : null;
    RpcException failure = failureOf(client.call(endpoint, invocation("failUnchecked", "no")));
    assertThat(failure.code()).isEqualTo(StatusCode.PERMISSION_DENIED);
    assertThat(failure.status().description()).isEqualTo("not for tenant acme");
    assertThat(handler.admitted).extracting(CallHead::methodName).containsExactly("failUnchecked");
    awaitNothingPending(client);

    CompletableFuture<Object> next = client.call(endpoint, invocation("echo", "next"));
    ServerCall call = nextServerCall();
    assertThat(call.method().name()).as("the call handled after the refused one").isEqualTo("echo");
    call.sendResponse("next!", Metadata.EMPTY);
    assertThat(resultOf(next)).isEqualTo("next!");
  }

  // ---- cancellation and deadlines: the call fails with the status, is forgotten, the server is told ----

  @Test
  void cancellingFailsTheCallWithItsStatusForgetsItAndTellsTheServer() throws Exception {
    Invocation invocation = invocation("sleep", 30_000L);
    CompletableFuture<Object> result = client.call(endpoint, invocation);
    ServerCall call = nextServerCall();
    AtomicInteger cancellations = cancellationsOf(call);
    assertThat(pendingCalls(client)).isEqualTo(1);

    invocation.cancel(Status.CANCELLED.withDescription("the caller gave up"));
    RpcException failure = failureOf(result);
    assertThat(failure.code()).isEqualTo(StatusCode.CANCELLED);
    assertThat(failure.status().description()).isEqualTo("the caller gave up");
    awaitNothingPending(client);
    awaitCancelled(cancellations);
    AtomicInteger late = cancellationsOf(call);
    assertThat(late).as("onCancel after the cancellation runs at once").hasValue(1);

    call.sendError(Status.CANCELLED, Metadata.EMPTY); // what the core does with a cancelled call
    CompletableFuture<Object> next = client.call(endpoint, invocation("echo", "after"));
    nextServerCall().sendResponse("after!", Metadata.EMPTY);
    assertThat(resultOf(next)).isEqualTo("after!");
  }

  @Test
  void aLateAnswerToACancelledCallCompletesNothingElse() throws Exception {
    Invocation first = invocation("echo", "first");
    CompletableFuture<Object> firstResult = client.call(endpoint, first);
    ServerCall firstCall = nextServerCall();
    first.cancel(Status.CANCELLED.withDescription("gave up on the first"));
    assertThat(failureOf(firstResult).code()).isEqualTo(StatusCode.CANCELLED);

    CompletableFuture<Object> secondResult = client.call(endpoint, invocation("echo", "second"));
    ServerCall secondCall = nextServerCall();
    firstCall.sendResponse("answer to the first", Metadata.EMPTY);
    secondCall.sendResponse("answer to the second", Metadata.EMPTY);

    assertThat(resultOf(secondResult)).isEqualTo("answer to the second");
    assertThat(failureOf(firstResult).status().description()).isEqualTo("gave up on the first");
    awaitNothingPending(client);
  }

  @Test
  void aCallCancelledBeforeItStartsFailsAtOnceWithThatStatus() throws Exception {
    Invocation invocation = invocation("echo", "never");
    invocation.cancel(Status.CANCELLED.withDescription("cancelled before the call"));
    RpcException failure = failureOf(client.call(endpoint, invocation));
    assertThat(failure.code()).isEqualTo(StatusCode.CANCELLED);
    assertThat(failure.status().description()).isEqualTo("cancelled before the call");
    awaitNothingPending(client);

    CompletableFuture<Object> next = client.call(endpoint, invocation("echo", "next"));
    ServerCall call = nextServerCall();
    while (!call.method().name().equals("echo") || !"next".equals(call.readArguments()[0])) {
      // A transport may still hand the cancelled call over; then the server must hear of the cancellation at once.
      assertThat(cancellationsOf(call)).as("onCancel of a call cancelled before it started").hasValue(1);
      call.sendError(Status.CANCELLED, Metadata.EMPTY);
      call = nextServerCall();
    }
    call.sendResponse("next!", Metadata.EMPTY);
    assertThat(resultOf(next)).isEqualTo("next!");
  }

  @Test
  void anExpiredDeadlineFailsTheCallAndFreesItOnBothSides() throws Exception {
    connect(); // so that the deadline is not spent connecting
    Invocation invocation = invocation(ECHO.method("sleep"), 30_000L)
        .withDeadline(Deadline.after(Duration.ofMillis(300)));
    CompletableFuture<Object> result = client.call(endpoint, invocation);
    Polling.await("the call to reach the server, or to fail", () -> !handler.calls.isEmpty() || result.isDone());
    ServerCall call = handler.calls.poll();
    if (call == null) {
      // Only on a slow machine: the deadline passed before the call went out, and the transport did not send it.
      assertThat(failureOf(result).code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
      assertThat(invocation.deadline().isExpired()).as("the deadline expired").isTrue();
      awaitNothingPending(client);
      return;
    }
    assertThat(call.deadline()).as("the deadline the server was told").isNotNull();
    assertThat(call.deadline().timeRemaining(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(300L);
    AtomicInteger cancellations = cancellationsOf(call);

    // What the client's deadline interceptor does when the deadline passes: cancel with DEADLINE_EXCEEDED.
    Polling.await("the deadline to pass", invocation.deadline()::isExpired);
    invocation.cancel(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 300 ms"));
    RpcException failure = failureOf(result);
    assertThat(failure.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
    assertThat(failure.status().description()).isEqualTo("deadline exceeded after 300 ms");
    awaitNothingPending(client);
    awaitCancelled(cancellations);
    call.sendError(Status.DEADLINE_EXCEEDED, Metadata.EMPTY);
  }

  // ---- connections: ConnectionLostException only once the request was handed off ----

  @Test
  void anUnreachableEndpointFailsUnavailableWithoutConnectionLost() throws Exception {
    RpcException failure = failureOf(client.call(unreachableEndpoint(), invocation("echo", "nobody")));
    assertThat(failure.code()).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(ConnectionLostException.isCauseOf(failure))
        .as("a ConnectionLostException in %s: the request was never handed off", failure).isFalse();
    awaitNothingPending(client);
  }

  @Test
  void afterAFailedConnectCallsFailAtOnceForABackoffThatSaysSo() throws Exception {
    Assumptions.assumeTrue(backsOffAfterAFailedConnect(), "the transport does not connect");
    Endpoint nobody = unreachableEndpoint();
    // the backoff starts short (100 ms by default) and doubles: by the fifth failure it outlasts any pause here
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 5 && failures.stream().noneMatch(f -> f.contains("next attempt in")); i++) {
      RpcException failure = failureOf(client.call(nobody, invocation("echo", "call " + i)));
      assertThat(failure.code()).isEqualTo(StatusCode.UNAVAILABLE);
      failures.add(failure.getMessage());
    }
    assertThat(failures).as("a call refused within the backoff, naming the wait").anySatisfy(f -> assertThat(f)
        .contains("next attempt in"));
    awaitNothingPending(client);
  }

  @Test
  void aServerClosingMidCallFailsItWithConnectionLostAndCancelsItsSide() throws Exception {
    CompletableFuture<Object> result = client.call(endpoint, invocation("sleep", 30_000L));
    ServerCall call = nextServerCall();
    AtomicInteger cancellations = cancellationsOf(call);

    server.close();
    assertLostAfterHandOff(result, call, cancellations);
  }

  @Test
  void aServerShuttingDownLetsCallsInFlightFinish() throws Exception {
    CompletableFuture<Object> result = client.call(endpoint, invocation("sleep", 30_000L));
    ServerCall call = nextServerCall();

    CompletableFuture<Void> shutdown = server.shutdown(Duration.ofSeconds(30));
    call.sendResponse("done", Metadata.EMPTY);
    assertThat(resultOf(result)).isEqualTo("done");
    shutdown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    awaitNothingPending(client);

    RpcException refused = failureOf(client.call(endpoint, invocation("echo", "too late")));
    assertThat(refused.code()).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(ConnectionLostException.isCauseOf(refused))
        .as("a ConnectionLostException in %s: the server is gone", refused).isFalse();
    assertThat(handler.calls).as("calls handed to a server that shut down").isEmpty();
  }

  @Test
  void aServerShuttingDownFailsCallsStillRunningAfterItsGracePeriod() throws Exception {
    CompletableFuture<Object> result = client.call(endpoint, invocation("sleep", 30_000L));
    ServerCall call = nextServerCall();
    AtomicInteger cancellations = cancellationsOf(call);

    server.shutdown(Duration.ofMillis(50)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertLostAfterHandOff(result, call, cancellations);
  }

  /**
   * {@code result}, a call the server had been handed ({@code call}), failed {@code UNAVAILABLE} with a
   * {@link ConnectionLostException} (it may have run), left nothing pending on the client and was cancelled on the
   * server's side.
   */
  private void assertLostAfterHandOff(CompletableFuture<Object> result, ServerCall call,
      AtomicInteger cancellations) {
    RpcException failure = failureOf(result);
    assertThat(failure.code()).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(ConnectionLostException.isCauseOf(failure))
        .as("a ConnectionLostException in %s: the server had the request", failure).isTrue();
    awaitNothingPending(client);
    awaitCancelled(cancellations);
    call.sendError(Status.CANCELLED, Metadata.EMPTY);
  }

  @Test
  void closingTheClientFailsItsPendingCallsAndEveryLaterOne() throws Exception {
    CompletableFuture<Object> result = client.call(endpoint, invocation("sleep", 30_000L));
    ServerCall call = nextServerCall();
    AtomicInteger cancellations = cancellationsOf(call);

    client.close();
    RpcException failure = failureOf(result);
    assertThat(failure.code()).isEqualTo(StatusCode.UNAVAILABLE);
    awaitNothingPending(client);
    awaitCancelled(cancellations);
    call.sendError(Status.CANCELLED, Metadata.EMPTY);

    client.close(); // idempotent
    assertThat(failureOf(client.call(endpoint, invocation("echo", "closed"))).code())
        .isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(pendingCalls(client)).isZero();
  }

  @Test
  void disconnectLetsPendingCallsFinishThenReleasesTheConnection() throws Exception {
    CompletableFuture<Object> result = client.call(endpoint, invocation("sleep", 30_000L));
    ServerCall call = nextServerCall();

    client.disconnect(endpoint);
    call.sendResponse("finished", Metadata.EMPTY);
    assertThat(resultOf(result)).isEqualTo("finished");
    awaitNothingPending(client);
    if (presentsConnections()) {
      awaitConnectionsClosed("the client let go of the endpoint and its calls were answered");
    }

    CompletableFuture<Object> again = client.call(endpoint, invocation("echo", "again"));
    nextServerCall().sendResponse("again!", Metadata.EMPTY);
    assertThat(resultOf(again)).as("a later call connects again").isEqualTo("again!");
  }

  /**
   * The server's side as a test sees it: exports {@link EchoService}, admits what {@link #admission} lets through and
   * queues every call it is handed in {@link #calls}, for the test to close.
   */
  protected static final class RecordingHandler implements ServerCallHandler {
    private final Map<String, ServiceDescriptor> services = Map.of(ECHO.name(), ECHO);
    /** Calls handed over, in order; the test takes and closes them. */
    public final BlockingQueue<ServerCall> calls = new LinkedBlockingQueue<>();
    /** Heads admitted or refused, in order. */
    public final List<CallHead> admitted = new CopyOnWriteArrayList<>();
    /** Connections opened, in order. */
    public final List<ServerConnection> connections = new CopyOnWriteArrayList<>();
    public final AtomicInteger closedConnections = new AtomicInteger();
    /** What admission refuses a head with, or {@code null} to let it through. */
    public volatile Function<CallHead, Status> admission = head -> null;

    @Override
    public MethodDescriptor lookup(String service, String method) {
      ServiceDescriptor descriptor = services.get(service);
      return descriptor == null ? null : descriptor.method(method);
    }

    @Override
    public boolean hasService(String service) {
      return services.containsKey(service);
    }

    @Override
    public List<ServiceDescriptor> services() {
      return List.of(ECHO);
    }

    @Override
    public Status unimplemented(String service, String method) {
      return Status.UNIMPLEMENTED.withDescription(services.containsKey(service)
          ? "unknown method " + method + " of service " + service : "unknown service " + service);
    }

    @Override
    public ServerConnection openConnection(SocketAddress remoteAddress) {
      RecordedConnection connection = new RecordedConnection(remoteAddress, closedConnections);
      connections.add(connection);
      return connection;
    }

    @Override
    public Status admit(ServerConnection connection, CallHead head) {
      admitted.add(head);
      Status refusal = head.method() == null ? unimplemented(head.service(), head.methodName())
          : admission.apply(head);
      if (refusal == null && connection instanceof RecordedConnection recorded) {
        recorded.admittedAny = true;
      }
      return refusal;
    }

    @Override
    public void handle(ServerCall call) {
      calls.add(call);
    }
  }

  /** A connection the server transport opened, with no budgets; counts its close once. */
  private static final class RecordedConnection implements ServerConnection {
    private final SocketAddress remoteAddress;
    private final AtomicInteger closedConnections;
    private final AtomicBoolean closed = new AtomicBoolean();
    volatile boolean admittedAny;

    RecordedConnection(SocketAddress remoteAddress, AtomicInteger closedConnections) {
      this.remoteAddress = remoteAddress;
      this.closedConnections = closedConnections;
    }

    @Override
    public SocketAddress remoteAddress() {
      return remoteAddress;
    }

    @Override
    public boolean admittedAny() {
      return admittedAny;
    }

    @Override
    public ByteBudget requestBytes() {
      return ByteBudget.unlimited();
    }

    @Override
    public ByteBudget responseBytes() {
      return ByteBudget.unlimited();
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        closedConnections.incrementAndGet();
      }
    }
  }
}
