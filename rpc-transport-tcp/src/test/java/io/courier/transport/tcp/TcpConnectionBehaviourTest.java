package io.courier.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.Invocation;
import io.courier.client.RpcClient;
import io.courier.common.CallOptions;
import io.courier.common.Deadline;
import io.courier.common.Endpoint;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.internal.common.SharedTimer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.server.RpcServer;
import io.courier.server.ServerContext;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.Polling;
import io.courier.testing.TestInvocations;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOptions;
import io.netty.util.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the TCP transport does: hostile bytes, limits, heartbeats, reconnects, connection pools. */
class TcpConnectionBehaviourTest {

  private final EchoServiceImpl echo = new EchoServiceImpl();
  private final Set<SocketAddress> callers = ConcurrentHashMap.newKeySet();
  private final List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    echo.wake.get().countDown();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private RpcServer server(RpcServer.Builder builder) {
    RpcServer server = builder.host("127.0.0.1").service(EchoService.class, echo)
        .interceptor((call, next) -> {
          callers.add(call.remoteAddress());
          ran.add(call.method().name() + java.util.Arrays.toString(call.arguments()));
          return next.proceed(call);
        })
        .build().start();
    resources.add(server);
    return server;
  }

  private RpcClient client(int port, RpcClient.Builder builder) {
    RpcClient client = builder.address("127.0.0.1:" + port).serializer("kryo").build();
    resources.add(client);
    return client;
  }

  private static void assertClosedByPeer(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    InputStream in = socket.getInputStream();
    try {
      while (in.read() != -1) {
        // drain anything the server sent before closing
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("server did not close the connection within 10 s", e);
    } catch (IOException reset) {
      // a reset is a close too
    }
  }

  private static void pingPong(Socket socket) throws IOException {
    ByteBuffer ping = ByteBuffer.allocate(TcpProtocol.PREFIX_LENGTH);
    ping.putShort((short) TcpProtocol.MAGIC).put(TcpProtocol.VERSION).put(TcpProtocol.TYPE_PING).putInt(0)
        .putLong(7).putInt(0).putInt(0);
    socket.getOutputStream().write(ping.array());
    socket.setSoTimeout(10_000);
    byte[] pong = socket.getInputStream().readNBytes(TcpProtocol.PREFIX_LENGTH);
    assertThat(pong).hasSize(TcpProtocol.PREFIX_LENGTH);
    assertThat(pong[3]).isEqualTo(TcpProtocol.TYPE_PONG);
  }

  @Test
  void garbageClosesThatConnectionAndTheServerKeepsServing() throws Exception {
    RpcServer server = server(RpcServer.builder().port(0));
    EchoService stub = client(server.port(), RpcClient.builder()).create(EchoService.class);
    assertThat(stub.echo("before")).isEqualTo("before");
    try (Socket rogue = new Socket("127.0.0.1", server.port())) {
      OutputStream out = rogue.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertClosedByPeer(rogue);
    }
    assertThat(stub.echo("after")).isEqualTo("after");
  }

  @Test
  void aFrameClaimingMoreThanTheLimitIsRefusedBeforeItsBodyArrives() throws Exception {
    RpcServer server = server(RpcServer.builder().port(0));
    try (Socket rogue = new Socket("127.0.0.1", server.port())) {
      ByteBuffer prefix = ByteBuffer.allocate(TcpProtocol.PREFIX_LENGTH);
      prefix.putShort((short) TcpProtocol.MAGIC).put(TcpProtocol.VERSION).put(TcpProtocol.TYPE_REQUEST)
          .putInt(0).putLong(1).putInt(16).putInt(100 * 1024 * 1024);
      rogue.getOutputStream().write(prefix.array());
      rogue.getOutputStream().flush();
      assertClosedByPeer(rogue);
    }
    EchoService stub = client(server.port(), RpcClient.builder()).create(EchoService.class);
    assertThat(stub.echo("still here")).isEqualTo("still here");
  }

  @Test
  void requestsOverTheFrameLimitFailBeforeSending() {
    RpcServer server = server(RpcServer.builder().port(0));
    RpcClient client = client(server.port(), RpcClient.builder().option(TcpOptions.MAX_FRAME_SIZE, 64 * 1024));
    EchoService stub = client.create(EchoService.class);
    assertThatThrownBy(() -> stub.bytes(new byte[100 * 1024])).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
      assertThat(e.status().description()).contains("over the frame limit of 65536");
    });
    assertThat(stub.bytes(new byte[1024])).hasSize(1024);
  }

  @Test
  void responsesOverTheServersFrameLimitBecomeErrors() {
    EchoServiceImpl inflating = new EchoServiceImpl() {
      @Override
      public String echo(String message) {
        return message.repeat(100_000);
      }
    };
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0)
        .option(TcpOptions.MAX_FRAME_SIZE, 64 * 1024).service(EchoService.class, inflating).build().start();
    resources.add(server);
    EchoService stub = client(server.port(), RpcClient.builder()).create(EchoService.class);
    assertThatThrownBy(() -> stub.echo("x")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
      assertThat(e.status().description()).contains("result of courier.testing.EchoService/echo")
          .contains("over the frame limit of 65536");
    });
    assertThat(stub.add(1, 2)).isEqualTo(3);
  }

  @Test
  void aSilentPeerIsClosedWhileAPingingClientStaysConnected() throws Exception {
    // 200 ms: the server hangs up after 600 ms of silence, so a pinging client survives a 400 ms stall of a loaded
    // machine (at 50 ms, a 100 ms stall closed the pinging client's connection mid-call)
    Duration heartbeat = Duration.ofMillis(200);
    RpcServer server = server(RpcServer.builder().port(0).option(TcpOptions.HEARTBEAT_INTERVAL, heartbeat));
    EchoService stub = client(server.port(), RpcClient.builder().option(TcpOptions.HEARTBEAT_INTERVAL, heartbeat))
        .create(EchoService.class);
    assertThat(stub.echo("first")).isEqualTo("first");
    SocketAddress firstConnection = callers.iterator().next();
    try (Socket silent = new Socket("127.0.0.1", server.port())) {
      assertClosedByPeer(silent); // no bytes for 3 heartbeats: the server hangs up
    }
    assertThat(stub.echo("second")).isEqualTo("second");
    assertThat(callers).containsExactly(firstConnection); // the idle but pinging connection survived
  }

  @Test
  void noRequestIsSentOnAConnectionBeforeTheServerAnsweredItsOpeningPing() throws Exception {
    // a server that takes the connection and closes it unanswered, as a connect that reached only the kernel's backlog
    // of a server closing its port is reset: the call was never sent, so it fails as "cannot connect", not as a call
    // that may have run (which a method that is not @Idempotent could not retry elsewhere)
    try (java.net.ServerSocket closing = new java.net.ServerSocket(0)) {
      RpcClient client = client(closing.getLocalPort(), RpcClient.builder().defaultTimeout(Duration.ofSeconds(10)));
      CompletableFuture<String> call = client.create(EchoService.class).echoAsync("sent?");
      try (Socket accepted = closing.accept()) {
        accepted.setSoTimeout(10_000);
        InputStream in = accepted.getInputStream();
        byte[] prefix = new byte[TcpProtocol.PREFIX_LENGTH];
        readFully(in, prefix);
        assertThat(prefix[3]).as("the first frame of a connection").isEqualTo(TcpProtocol.TYPE_PING);
        assertThat(in.available()).as("nothing after the PING: the request waits for the answer").isZero();
      } // closed without an answer
      assertThatThrownBy(call::join).hasMessageContaining("cannot connect").satisfies(e -> assertThat(e).rootCause()
          .isNotInstanceOf(io.courier.transport.ConnectionLostException.class));
    }
  }

  @Test
  void aClientPingsASilentServerAndClosesTheConnectionAfterThreeIntervals() throws Exception {
    // Long enough for this test's thread to answer the opening PING within an interval or two on a loaded machine:
    // a client closes a connection that stays silent for three, and never sends a request on it.
    Duration heartbeat = Duration.ofMillis(200);
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
      RpcClient client = client(silent.getLocalPort(), RpcClient.builder().option(TcpOptions.HEARTBEAT_INTERVAL,
          heartbeat).defaultTimeout(Duration.ofSeconds(10)));
      CompletableFuture<String> call = client.create(EchoService.class).echoAsync("anyone?");
      try (Socket accepted = silent.accept()) {
        accepted.setSoTimeout(10_000);
        InputStream in = accepted.getInputStream();
        byte[] prefix = new byte[TcpProtocol.PREFIX_LENGTH];
        answerOpeningPing(accepted, in, prefix); // the one answer this server gives: then it falls silent
        do { // the request; on a loaded machine a heartbeat PING may come before it
          readFully(in, prefix);
        } while (prefix[3] == TcpProtocol.TYPE_PING);
        assertThat(prefix[3]).as("the request").isEqualTo(TcpProtocol.TYPE_REQUEST);
        ByteBuffer request = ByteBuffer.wrap(prefix);
        in.skipNBytes((long) request.getInt(16) + request.getInt(20));
        readFully(in, prefix); // then a PING, since nothing came back for one interval
        assertThat(prefix[3]).isEqualTo(TcpProtocol.TYPE_PING);
        readFully(in, prefix); // and another after the second: closed at the third silent interval, not the first
        assertThat(prefix[3]).isEqualTo(TcpProtocol.TYPE_PING);
        assertThat(in.read()).as("closed after the second PING").isEqualTo(-1);
        assertThatThrownBy(call::join).hasRootCauseInstanceOf(io.courier.transport.ConnectionLostException.class);
      }
    }
  }

  @Test
  void anAnswerThatDoesNotArriveWholeWithinTheReadTimeoutClosesTheClientsConnection() throws Exception {
    // a server that begins an answer, then sends a byte now and then: never silent, so the heartbeat closes nothing,
    // and every later answer on the connection would wait behind this one
    try (java.net.ServerSocket trickling = new java.net.ServerSocket(0)) {
      RpcClient client = client(trickling.getLocalPort(), RpcClient.builder()
          .option(TcpOptions.READ_TIMEOUT, Duration.ofMillis(500)).defaultTimeout(Duration.ofSeconds(30)));
      CompletableFuture<String> call = client.create(EchoService.class).echoAsync("slowly");
      try (Socket accepted = trickling.accept()) {
        accepted.setSoTimeout(10_000);
        InputStream in = accepted.getInputStream();
        byte[] prefix = new byte[TcpProtocol.PREFIX_LENGTH];
        answerOpeningPing(accepted, in, prefix);
        do {
          readFully(in, prefix);
        } while (prefix[3] == TcpProtocol.TYPE_PING);
        assertThat(prefix[3]).as("the request").isEqualTo(TcpProtocol.TYPE_REQUEST);
        ByteBuffer request = ByteBuffer.wrap(prefix);
        in.skipNBytes((long) request.getInt(16) + request.getInt(20));
        ByteBuffer answer = ByteBuffer.allocate(TcpProtocol.PREFIX_LENGTH + 2);
        answer.putShort((short) TcpProtocol.MAGIC).put(TcpProtocol.VERSION).put(TcpProtocol.TYPE_RESPONSE)
            .put((byte) 0).put((byte) 1).put((byte) 0).put((byte) 0).putLong(request.getLong(8)).putInt(2)
            .putInt(1024) // OK, a kryo body of 1 KiB: the client waits for it whole
            .put((byte) 0).put((byte) 0); // the header section: no message, no metadata
        OutputStream out = accepted.getOutputStream();
        long start = System.nanoTime(); // before the client can have seen the answer's first byte
        out.write(answer.array());
        long giveUp = start + TimeUnit.SECONDS.toNanos(10);
        try {
          while (!call.isDone() && System.nanoTime() < giveUp) {
            out.write(0); // one byte of the body at a time
            out.flush();
            Thread.sleep(50); // the trickle's pace, not a wait for the outcome
          }
        } catch (IOException closedByTheClient) {
          // what the read timeout does
        }
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasRootCauseInstanceOf(io.courier.transport.ConnectionLostException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
      }
    }
  }

  /** Reads a client's opening PING and answers it with a PONG, as a Courier server does. */
  private static void answerOpeningPing(Socket accepted, InputStream in, byte[] prefix) throws IOException {
    readFully(in, prefix);
    assertThat(prefix[3]).as("the first frame of a connection").isEqualTo(TcpProtocol.TYPE_PING);
    byte[] pong = prefix.clone(); // a control frame is its prefix alone
    pong[3] = TcpProtocol.TYPE_PONG;
    accepted.getOutputStream().write(pong);
    accepted.getOutputStream().flush();
  }

  private static void readFully(InputStream in, byte[] into) throws IOException {
    int n = 0;
    while (n < into.length) {
      int r = in.read(into, n, into.length - n);
      if (r < 0) {
        throw new IOException("closed after " + n + " bytes");
      }
      n += r;
    }
  }

  @Test
  void reconnectsWhenTheServerComesBack() throws Exception {
    RpcServer first = server(RpcServer.builder().port(0));
    int port = first.port();
    RpcClient client = client(port, RpcClient.builder()
        .option(TcpOptions.RECONNECT_BACKOFF_MIN, Duration.ofMillis(10))
        .option(TcpOptions.RECONNECT_BACKOFF_MAX, Duration.ofMillis(50)));
    EchoService stub = client.create(EchoService.class);
    assertThat(stub.echo("one")).isEqualTo("one");
    first.close();
    assertThatThrownBy(() -> stub.echo("down")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    server(RpcServer.builder().port(port));
    Polling.await("the client to reconnect", () -> {
      try {
        return "two".equals(stub.echo("two"));
      } catch (RpcException e) {
        return false;
      }
    });
  }

  @Test
  void spreadsCallsOverSeveralConnectionsPerEndpoint() throws Exception {
    RpcServer server = server(RpcServer.builder().port(0));
    EchoService stub = client(server.port(), RpcClient.builder().option(TcpOptions.CONNECTIONS_PER_ENDPOINT, 3))
        .create(EchoService.class);
    Polling.await("three connections in use", () -> {
      stub.echo("x");
      return callers.size() == 3;
    });
  }

  @Test
  void cancelledCallsLeaveNothingPendingAndTellTheServer() throws Exception {
    RpcServer server = server(RpcServer.builder().port(0));
    TypeAllowlist allowlist = TypeAllowlist.withDefaults();
    Timer timer = SharedTimer.acquire();
    TcpClientTransport transport = new TcpClientTransport(
        new TransportContext(SerializerSet.load(allowlist), TransportOptions.DEFAULT, timer));
    try {
      ServiceDescriptor service = ServiceDescriptor.of(EchoService.class);
      Invocation sleep = TestInvocations.unary(service.method("sleep"), new Object[] {30_000L}, CallOptions.DEFAULT,
          SerializerSet.load(allowlist).byName("kryo")).withDeadline(Deadline.after(Duration.ofMinutes(1)));
      CompletableFuture<Object> result = transport.call(new Endpoint("127.0.0.1", server.port()), sleep);
      Polling.await("the call to reach the server", () -> !echo.sleepers.isEmpty());
      assertThat(transport.pendingCalls()).isEqualTo(1);

      sleep.cancel(Status.DEADLINE_EXCEEDED.withDescription("test deadline"));
      assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(RpcException.class,
              e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
      assertThat(transport.pendingCalls()).isZero();
      ServerContext context = echo.sleepers.get(0);
      Polling.await("the CANCEL frame to reach the server", context::isCancelled);
    } finally {
      transport.close();
      SharedTimer.release(timer);
    }
  }

  @Test
  void disconnectLetsPendingCallsFinishThenLetsTheConnectionGo() throws Exception {
    RpcServer server = server(RpcServer.builder().port(0));
    TypeAllowlist allowlist = TypeAllowlist.withDefaults();
    Timer timer = SharedTimer.acquire();
    TcpClientTransport transport = new TcpClientTransport(
        new TransportContext(SerializerSet.load(allowlist), TransportOptions.DEFAULT, timer));
    try {
      ServiceDescriptor service = ServiceDescriptor.of(EchoService.class);
      var kryo = SerializerSet.load(allowlist).byName("kryo");
      Endpoint endpoint = new Endpoint("127.0.0.1", server.port());
      Invocation sleep = TestInvocations.unary(service.method("sleep"), new Object[] {30_000L}, CallOptions.DEFAULT,
          kryo).withDeadline(Deadline.after(Duration.ofMinutes(1)));
      CompletableFuture<Object> pending = transport.call(endpoint, sleep);
      Polling.await("the call to reach the server", () -> !echo.sleepers.isEmpty());
      Set<SocketAddress> before = Set.copyOf(callers);

      transport.disconnect(endpoint); // discovery dropped it
      echo.wake.get().countDown();
      assertThat(pending.get(5, TimeUnit.SECONDS)).isEqualTo("done"); // the pending call was let finish

      Invocation echoCall = TestInvocations.unary(service.method("echo"), new Object[] {"again"}, CallOptions.DEFAULT,
          kryo).withDeadline(Deadline.after(Duration.ofMinutes(1)));
      assertThat(transport.call(endpoint, echoCall).get(5, TimeUnit.SECONDS)).isEqualTo("again");
      assertThat(callers).as("a later call connects anew").hasSize(before.size() + 1);
    } finally {
      transport.close();
      SharedTimer.release(timer);
    }
  }

  @Test
  void callsInFlightWhenTheConnectionDropsSayTheyMayHaveRun() throws Exception {
    RpcServer server = server(RpcServer.builder().port(0).gracePeriod(Duration.ZERO));
    EchoService stub = client(server.port(), RpcClient.builder()).create(EchoService.class);
    CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> stub.sleep(30_000));
    Polling.await("the call to reach the server", () -> !echo.sleepers.isEmpty());
    server.shutdown(Duration.ZERO);
    assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
          assertThat(io.courier.transport.ConnectionLostException.isCauseOf(e)).isTrue();
        });
  }

  @Test
  void connectingToNothingFailsFastWithUnavailable() throws Exception {
    int closedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    EchoService stub = client(closedPort, RpcClient.builder()).create(EchoService.class);
    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.echo("anyone?")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(e.status().description()).contains("cannot connect to 127.0.0.1:" + closedPort);
    });
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
  }

  @Test
  void bindFailureNamesTheAddress() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      RpcServer.Builder builder = RpcServer.builder().host("127.0.0.1").port(taken.getLocalPort())
          .service(EchoService.class, echo);
      assertThatThrownBy(() -> builder.build().start())
          .hasMessageContaining("cannot listen for tcp on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void connectionsOverTheServersLimitAreClosedOnAccept() throws Exception {
    RpcServer server = server(RpcServer.builder().port(0).option(TcpOptions.MAX_CONNECTIONS, 2));
    try (Socket first = new Socket("127.0.0.1", server.port());
        Socket second = new Socket("127.0.0.1", server.port())) {
      pingPong(first); // a PONG proves the server has set the connection up and counted it
      pingPong(second);
      try (Socket third = new Socket("127.0.0.1", server.port())) {
        assertClosedByPeer(third);
      }
    }
    EchoService stub = client(server.port(), RpcClient.builder()).create(EchoService.class);
    Polling.await("room for a new connection once the others closed", () -> {
      try {
        return "in".equals(stub.echo("in"));
      } catch (RpcException e) {
        return false;
      }
    });
  }

  @Test
  void callsOverThePerConnectionLimitAreRefusedAtOnce() {
    RpcServer server = server(RpcServer.builder().port(0)
        .option(TcpOptions.MAX_CONCURRENT_CALLS_PER_CONNECTION, 2));
    EchoService stub = client(server.port(), RpcClient.builder()).create(EchoService.class,
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
    CompletableFuture<String> one = CompletableFuture.supplyAsync(() -> stub.sleep(30_000));
    CompletableFuture<String> two = CompletableFuture.supplyAsync(() -> stub.sleep(30_000));
    Polling.await("two calls running", () -> echo.sleepers.size() == 2);
    assertThatThrownBy(() -> stub.echo("third")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
      assertThat(e.status().description()).contains("too many concurrent calls on this connection (limit 2");
    });
    echo.wake.get().countDown();
    assertThat(one.join()).isEqualTo("done");
    assertThat(two.join()).isEqualTo("done");
    assertThat(stub.echo("fourth")).isEqualTo("fourth");
  }

  /** Reads one frame off a raw socket: its prefix fields and its header section as raw bytes. */
  private record RawFrame(byte type, byte status, long id, byte[] header) {
    String text() {
      return new String(header, StandardCharsets.UTF_8);
    }
  }

  private static RawFrame readFrame(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    byte[] prefix = socket.getInputStream().readNBytes(TcpProtocol.PREFIX_LENGTH);
    if (prefix.length < TcpProtocol.PREFIX_LENGTH) {
      throw new AssertionError("the server closed the connection instead of sending a frame");
    }
    ByteBuffer p = ByteBuffer.wrap(prefix);
    byte type = p.get(3);
    byte status = p.get(6);
    long id = p.getLong(8);
    byte[] header = socket.getInputStream().readNBytes(p.getInt(16));
    socket.getInputStream().readNBytes(p.getInt(20));
    return new RawFrame(type, status, id, header);
  }

  private static void sendEcho(Socket socket, long id, String message) throws IOException {
    var kryo = SerializerSet.load(TypeAllowlist.withDefaults()).byName("kryo");
    var method = ServiceDescriptor.of(EchoService.class).method("echo");
    io.netty.buffer.ByteBuf frame = TcpFrameWriter.request(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, id,
        false, kryo, method.service().name(), method.name(), 0, io.courier.common.Metadata.EMPTY,
        new Object[] {message}, method.requestTypes());
    try {
      byte[] bytes = new byte[frame.readableBytes()];
      frame.readBytes(bytes);
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } finally {
      frame.release();
    }
  }

  @Test
  void aRequestThatCrossesTheGoAwayIsRefusedAsNotRunAndTheServerWaitsForTheClientToLetGo() throws Exception {
    RpcServer server = server(RpcServer.builder().port(0).gracePeriod(Duration.ofSeconds(20)));
    Socket client = new Socket("127.0.0.1", server.port());
    try {
      sendEcho(client, 1, "before");
      RawFrame answer = readFrame(client);
      assertThat(answer.type()).isEqualTo(TcpProtocol.TYPE_RESPONSE);
      assertThat(answer.status()).isZero();

      CompletableFuture<Void> stopped = server.shutdown(Duration.ofSeconds(20));
      assertThat(readFrame(client).type()).isEqualTo(TcpProtocol.TYPE_GOAWAY);
      // This request was on its way when the GOAWAY was sent: the client could not know yet.
      sendEcho(client, 2, "crossed the GOAWAY");
      RawFrame refusal = readFrame(client);
      assertThat(refusal.type()).isEqualTo(TcpProtocol.TYPE_RESPONSE);
      assertThat(refusal.id()).isEqualTo(2);
      assertThat(refusal.status()).as("UNAVAILABLE without a dropped connection: not run, safe to retry elsewhere")
          .isEqualTo((byte) StatusCode.UNAVAILABLE.value());
      assertThat(refusal.text()).contains("shutting down");
      assertThat(stopped).as("the server waits until the client has let go of the connection").isNotDone();

      client.close(); // what a Courier client does once it has the GOAWAY and no call pending
      stopped.get(10, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
    assertThat(ran).containsExactly("echo[before]");
  }
}
