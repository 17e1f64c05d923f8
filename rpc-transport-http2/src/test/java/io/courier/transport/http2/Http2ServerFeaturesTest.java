package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.common.StreamObserver;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.Polling;
import io.courier.testing.TestCertificates;
import io.courier.transport.TlsConfig;
import io.courier.transport.http2.health.HealthCheckRequest;
import io.courier.transport.http2.health.HealthCheckResponse;
import io.courier.transport.http2.health.HealthCheckResponse.ServingStatus;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health checking, one port for several protocols, TLS with ALPN, keepalive pings and GOAWAY on shutdown. */
class Http2ServerFeaturesTest {

  private static RpcServer.Builder echoServer() {
    return RpcServer.builder().host("127.0.0.1").listen("http2", 0).service(EchoService.class, new EchoServiceImpl());
  }

  private static RpcClient client(String transport, int port, String serializer) {
    return RpcClient.builder().transport(transport).address("127.0.0.1:" + port).serializer(serializer).build();
  }

  @Test
  void everyServerAnswersGrpcHealthChecks() throws Exception {
    RpcServer server = echoServer().build().start();
    try (RpcClient client = client("http2", server.port(), "protobuf")) {
      GrpcHealth health = client.create(GrpcHealth.class);
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
      assertThat(health.check(HealthCheckRequest.newBuilder().setService("courier.testing.EchoService").build())
          .getStatus()).isEqualTo(ServingStatus.SERVING);
      assertThatThrownBy(() -> health.check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));

      List<ServingStatus> watched = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> watchEnded = new CompletableFuture<>();
      health.watch(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
        @Override
        public void onNext(HealthCheckResponse value) {
          watched.add(value.getStatus());
        }

        @Override
        public void onError(Throwable t) {
          watchEnded.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
          watchEnded.complete(null);
        }
      });
      Polling.await("the current status", () -> watched.contains(ServingStatus.SERVING));
      CompletableFuture<Void> shutdown = server.shutdown(Duration.ofSeconds(10));
      watchEnded.get(10, TimeUnit.SECONDS);
      assertThat(watched).containsExactly(ServingStatus.SERVING, ServingStatus.NOT_SERVING);
      shutdown.get(10, TimeUnit.SECONDS);
    } finally {
      server.close();
    }
  }

  @Test
  void oneListenerServesTcpFramingAndGrpcOnTheSamePort() {
    try (RpcServer server = echoServer().build().start();
        RpcClient tcp = client("tcp", server.port(), "kryo");
        RpcClient http2 = client("http2", server.port(), "kryo")) {
      assertThat(tcp.create(EchoService.class).echo("over tcp")).isEqualTo("over tcp");
      assertThat(http2.create(EchoService.class).echo("over http2")).isEqualTo("over http2");
    }
  }

  @Test
  void tcpCanBeRefusedOnTheHttp2Port() {
    try (RpcServer server = echoServer().option(Http2Options.SHARE_PORT_WITH_TCP, false).build().start();
        RpcClient tcp = client("tcp", server.port(), "kryo")) {
      assertThatThrownBy(() -> tcp.create(EchoService.class).echo("refused"))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    }
  }

  @Test
  void separatePortsPerTransportStillWork() {
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").listen("tcp", 0).listen("http2", 0)
        .service(EchoService.class, new EchoServiceImpl()).build().start();
        RpcClient tcp = client("tcp", server.port("tcp"), "kryo");
        RpcClient http2 = client("http2", server.port("http2"), "kryo")) {
      assertThat(server.port("tcp")).isNotEqualTo(server.port("http2"));
      assertThat(tcp.create(EchoService.class).echo("a")).isEqualTo("a");
      assertThat(http2.create(EchoService.class).echo("b")).isEqualTo("b");
    }
  }

  @Test
  void connectionsOverTheServersLimitAreClosedOnAccept() throws Exception {
    try (RpcServer server = echoServer().option(Http2Options.MAX_CONNECTIONS, 2).build().start()) {
      try (Socket first = new Socket("127.0.0.1", server.port());
          Socket second = new Socket("127.0.0.1", server.port())) {
        awaitServerSettings(first); // the server's SETTINGS prove it has set the connection up and counted it
        awaitServerSettings(second);
        try (Socket third = new Socket("127.0.0.1", server.port())) {
          third.setSoTimeout(10_000);
          assertThat(third.getInputStream().read()).as("closed on accept, before any byte").isEqualTo(-1);
        }
      }
      try (RpcClient client = client("http2", server.port(), "kryo")) {
        EchoService stub = client.create(EchoService.class);
        Polling.await("room for a new connection once the others closed", () -> {
          try {
            return "in".equals(stub.echo("in"));
          } catch (RpcException e) {
            return false;
          }
        });
      }
    }
  }

  /** Sends the HTTP/2 client preface and an empty SETTINGS frame, then reads the server's SETTINGS frame header. */
  private static void awaitServerSettings(Socket socket) throws Exception {
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
    out.flush();
    byte[] header = socket.getInputStream().readNBytes(9);
    assertThat(header).hasSize(9);
    assertThat(header[3]).as("frame type SETTINGS").isEqualTo((byte) 4);
  }

  @Test
  void http11WithoutAHandlerGets505AndTheHookServesIt() throws Exception {
    try (RpcServer server = echoServer().build().start()) {
      assertThat(http11Get(server.port())).startsWith("HTTP/1.1 505");
    }
    Http1Handler hello = (channel, calls, context) -> channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        String body = "hello from the REST hook, " + calls.hasService("courier.testing.EchoService");
        ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: " + body.length()
            + "\r\nConnection: close\r\n\r\n" + body, StandardCharsets.US_ASCII))
            .addListener(ChannelFutureListener.CLOSE);
      }
    });
    try (RpcServer server = echoServer().option(Http2Options.HTTP1_HANDLER, hello).build().start()) {
      assertThat(http11Get(server.port())).startsWith("HTTP/1.1 200 OK").endsWith("hello from the REST hook, true");
    }
  }

  private static String http11Get(int port) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void healthChecksAnswerAnyoneUnlessTheyAreToBeAdmitted() throws Exception {
    io.courier.server.ServerInterceptor auth = io.courier.auth.BearerAuth.server(
        io.courier.auth.BearerAuth.staticTokens(java.util.Map.of("t0ken", "prober")));
    try (RpcServer open = echoServer().interceptor(auth).build().start();
        RpcServer guarded = echoServer().interceptor(auth).option(Http2Options.HEALTH_CHECKS_ADMITTED, true).build()
            .start();
        RpcClient anonymousToOpen = client("http2", open.port(), "protobuf");
        RpcClient anonymousToGuarded = client("http2", guarded.port(), "protobuf");
        RpcClient prober = RpcClient.builder().transport("http2").address("127.0.0.1:" + guarded.port())
            .serializer("protobuf").interceptor(io.courier.auth.BearerAuth.client(() -> "t0ken")).build()) {
      HealthCheckRequest all = HealthCheckRequest.getDefaultInstance();
      assertThat(anonymousToOpen.create(GrpcHealth.class).check(all).getStatus()).isEqualTo(ServingStatus.SERVING);
      // what docs/security.md says an anonymous caller can learn by default: whether a service it names is served
      HealthCheckRequest named = HealthCheckRequest.newBuilder().setService("courier.testing.EchoService").build();
      assertThat(anonymousToOpen.create(GrpcHealth.class).check(named).getStatus()).isEqualTo(ServingStatus.SERVING);
      assertThatThrownBy(() -> anonymousToGuarded.create(GrpcHealth.class).check(named))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAUTHENTICATED));
      assertThatThrownBy(() -> anonymousToGuarded.create(GrpcHealth.class).check(all))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAUTHENTICATED));
      assertThat(prober.create(GrpcHealth.class).check(all).getStatus()).isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void allowPlaintextServesTlsWithAlpnH2AndCleartextOnOnePort(@TempDir Path dir) throws Exception {
    TestCertificates pki = TestCertificates.create(dir);
    try (RpcServer server = echoServer().tls(TlsConfig.forServer(pki.serverChain(), pki.serverKey()).allowPlaintext())
            .build().start();
        RpcClient tls = RpcClient.builder().transport("http2").address("localhost:" + server.port())
            .serializer("kryo").tls(TlsConfig.forClient().trust(pki.caCertificate())).build();
        RpcClient untrusting = RpcClient.builder().transport("http2").address("localhost:" + server.port())
            .serializer("kryo").tls(TlsConfig.forClient().trust(pki.rogueCaCertificate())).build();
        RpcClient plain = client("http2", server.port(), "kryo")) {
      assertThat(tls.create(EchoService.class).echo("over TLS")).isEqualTo("over TLS");
      assertThat(plain.create(EchoService.class).echo("in clear")).isEqualTo("in clear");
      assertThatThrownBy(() -> untrusting.create(EchoService.class).echo("not trusted"))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
            assertThat(e.getMessage()).contains("TLS handshake failed");
          });
    }
  }

  @Test
  void keepalivePingsCloseAConnectionThatNeverAnswers() throws Exception {
    // a generous timeout: a loaded CI machine may take a while to acknowledge, and that must not close the client
    try (RpcServer server = echoServer().option(Http2Options.KEEPALIVE_TIME, Duration.ofMillis(50))
        .option(Http2Options.KEEPALIVE_TIMEOUT, Duration.ofSeconds(1)).build().start();
        RpcClient answering = client("http2", server.port(), "kryo");
        RawHttp2Client silent = new RawHttp2Client(server.port()).handshake()) {
      assertThat(silent.await("PING", 5)).as("the server pings an idle connection").isNotNull();
      assertThat(silent.await("CLOSED", 5)).as("and closes it when no acknowledgement comes").isNotNull();
      EchoService echo = answering.create(EchoService.class);
      assertThat(echo.echo("one")).isEqualTo("one");
      assertThat(echo.sleep(400)).as("a connection that acknowledges pings survives idle periods").isEqualTo("done");
      assertThat(echo.echo("two")).isEqualTo("two");
    }
  }

  @Test
  void callsBeyondMaxConcurrentStreamsWaitForAFreeStream() throws Exception {
    EchoServiceImpl slow = new EchoServiceImpl();
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").listen("http2", 0)
        .service(EchoService.class, slow).option(Http2Options.MAX_CONCURRENT_STREAMS, 2).build().start();
        RpcClient client = client("http2", server.port(), "kryo")) {
      EchoService echo = client.create(EchoService.class);
      List<CompletableFuture<String>> sleepers = List.of(CompletableFuture.supplyAsync(() -> echo.sleep(10_000)),
          CompletableFuture.supplyAsync(() -> echo.sleep(10_000)));
      Polling.await("two streams to be open", () -> slow.sleepers.size() == 2);
      List<CompletableFuture<String>> queued = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        queued.add(echo.echoAsync("queued-" + i));
      }
      assertThat(queued).noneMatch(CompletableFuture::isDone);
      slow.wake.get().countDown();
      for (CompletableFuture<String> s : sleepers) {
        assertThat(s.get(10, TimeUnit.SECONDS)).isEqualTo("done");
      }
      for (int i = 0; i < 10; i++) {
        assertThat(queued.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("queued-" + i + "!");
      }
    }
  }

  @Test
  void aCallCancelledWhileWaitingForAStreamIsNeverSent() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    EchoServiceImpl slow = new EchoServiceImpl() {
      @Override
      public CompletableFuture<String> echoAsync(String message) {
        received.add(message);
        return super.echoAsync(message);
      }
    };
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").listen("http2", 0)
        .service(EchoService.class, slow).option(Http2Options.MAX_CONCURRENT_STREAMS, 1).build().start();
        RpcClient client = client("http2", server.port(), "kryo")) {
      EchoService echo = client.create(EchoService.class);
      assertThat(echo.echoAsync("opening").get(10, TimeUnit.SECONDS)).as("the client has read the server's SETTINGS")
          .isEqualTo("opening!");
      CompletableFuture<String> sleeper = CompletableFuture.supplyAsync(() -> echo.sleep(10_000));
      Polling.await("the one stream to be taken", () -> slow.sleepers.size() == 1);
      CompletableFuture<String> waiting = echo.echoAsync("cancelled");
      assertThat(waiting.cancel(true)).isTrue();
      slow.wake.get().countDown(); // frees the stream: the cancelled call must not take it
      assertThat(sleeper.get(10, TimeUnit.SECONDS)).isEqualTo("done");
      assertThat(echo.echoAsync("after").get(10, TimeUnit.SECONDS)).isEqualTo("after!");
      assertThat(received).containsExactly("opening", "after");
    }
  }

  @Test
  void aClientClosesAConnectionWhosePeerNeverAcknowledgesPings() throws Exception {
    try (java.net.ServerSocket silentServer = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      Thread peer = new Thread(() -> {
        try (Socket s = silentServer.accept()) {
          s.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame, then silence
          s.getOutputStream().flush();
          s.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (Exception ignored) {
          // the client closed the connection, as it should
        }
      }, "silent-http2-peer");
      peer.setDaemon(true);
      peer.start();
      try (RpcClient client = RpcClient.builder().transport("http2").serializer("kryo")
          .address("127.0.0.1:" + silentServer.getLocalPort()).defaultTimeout(Duration.ofSeconds(20))
          .option(Http2Options.KEEPALIVE_TIME, Duration.ofMillis(50))
          .option(Http2Options.KEEPALIVE_TIMEOUT, Duration.ofMillis(200)).build()) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.create(EchoService.class).echo("nobody answers"))
            .isInstanceOfSatisfying(RpcException.class, e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
              assertThat(e.getMessage()).contains("closed");
            });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
      }
    }
  }

  @Test
  void aProviderThatRefusesConnectionsIsNotRedialledDuringBackoff() throws Exception {
    int closedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort(); // free again once closed: nothing listens there
    }
    try (RpcClient client = RpcClient.builder().transport("http2").serializer("kryo")
        .address("127.0.0.1:" + closedPort).option(Http2Options.RECONNECT_BACKOFF_MIN, Duration.ofSeconds(30))
        .build()) {
      EchoService echo = client.create(EchoService.class);
      assertThatThrownBy(() -> echo.echo("first")).isInstanceOfSatisfying(RpcException.class, e -> {
        assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
        assertThat(e.getMessage()).contains("cannot connect to 127.0.0.1:" + closedPort);
      });
      assertThatThrownBy(() -> echo.echo("second")).isInstanceOfSatisfying(RpcException.class, e -> {
        assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
        assertThat(e.getMessage()).contains("next attempt in");
      });
    }
  }

  @Test
  void shutdownSendsGoAwayAndRefusesNewStreams() throws Exception {
    RpcServer server = echoServer().build().start();
    try (RawHttp2Client raw = new RawHttp2Client(server.port()).handshake()) {
      assertThat(raw.await("SETTINGS", 5)).isNotNull();
      CompletableFuture<Void> shutdown = server.shutdown(Duration.ofSeconds(5));
      RawHttp2Client.Frame first = raw.await("GOAWAY", 5);
      assertThat(first).isNotNull();
      assertThat(first.code()).isZero();
      assertThat(first.streamId()).as("first: open no new streams").isEqualTo(Integer.MAX_VALUE);
      RawHttp2Client.Frame ping = raw.await("PING", 5);
      assertThat(ping).isNotNull();
      raw.pingAck(ping.code());
      RawHttp2Client.Frame last = raw.await("GOAWAY", 5);
      assertThat(last).isNotNull();
      assertThat(last.streamId()).as("then: the last stream the server took").isZero();
      assertThat(raw.await("CLOSED", 5)).as("an idle connection closes after GOAWAY").isNotNull();
      shutdown.get(10, TimeUnit.SECONDS);
    } finally {
      server.close();
    }
  }
}
