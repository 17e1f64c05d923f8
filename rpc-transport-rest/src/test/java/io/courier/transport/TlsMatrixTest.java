package io.courier.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.TestCertificates;
import io.courier.transport.http2.Http2Options;
import io.courier.transport.rest.RestBinding;
import io.courier.transport.rest.RestOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS holds on every listener and every port-sharing path: with mutual TLS required, only a client with a trusted
 * certificate gets an answer — a cleartext client, a TLS client without a certificate and one with an untrusted
 * certificate are all refused — and cleartext of every protocol (Courier TCP's magic, the HTTP/2 preface, an
 * HTTP/1.1 request) is refused on every TLS port. A Courier client configured for TLS never sends a byte in
 * cleartext, whatever its transport: a fake cleartext server sees a TLS ClientHello and no bearer token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsMatrixTest {

  /** A listener, and the client transport that reaches it (the port-sharing paths are rows of their own). */
  enum Route {
    TCP("tcp", "tcp", false),
    HTTP2_GRPC("http2", "http2", false),
    HTTP2_SHARED_TCP("http2", "tcp", false),
    HTTP2_SHARED_REST_HTTP1("http2", "rest", false),
    HTTP2_SHARED_REST_H2("http2", "rest", true),
    REST_HTTP1("rest", "rest", false),
    REST_H2("rest", "rest", true);

    final String listener;
    final String client;
    final boolean h2;

    Route(String listener, String client, boolean h2) {
      this.listener = listener;
      this.client = client;
      this.h2 = h2;
    }
  }

  /** What the client brings. */
  enum Client { CLEARTEXT, TLS_WITHOUT_CERTIFICATE, TLS_WITH_UNTRUSTED_CERTIFICATE, TLS_WITH_TRUSTED_CERTIFICATE }

  @TempDir
  static Path dir;
  private TestCertificates pki;
  private final Map<String, RpcServer> mutual = new java.util.HashMap<>();
  private final Map<String, RpcServer> serverOnly = new java.util.HashMap<>();

  @BeforeAll
  void startServers() {
    pki = TestCertificates.create(dir);
    TlsConfig tls = TlsConfig.forServer(pki.serverChain(), pki.serverKey());
    for (String listener : List.of("tcp", "http2", "rest")) {
      mutual.put(listener, server(listener, tls.trust(pki.caCertificate()).clientAuth(TlsConfig.ClientAuth.REQUIRE)));
      serverOnly.put(listener, server(listener, tls));
    }
  }

  @AfterAll
  void stopServers() {
    mutual.values().forEach(RpcServer::close);
    serverOnly.values().forEach(RpcServer::close);
  }

  private static RpcServer server(String listener, TlsConfig tls) {
    RpcServer.Builder builder = RpcServer.builder().host("127.0.0.1").listen(listener, 0).tls(tls)
        .service(EchoService.class, new EchoServiceImpl());
    if (listener.equals("http2")) {
      builder.option(Http2Options.HTTP1_HANDLER, new RestBinding());
    }
    return builder.build().start();
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cells = new ArrayList<>();
    for (Route path : Route.values()) {
      for (Client client : Client.values()) {
        cells.add(Arguments.of(path, client));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("matrix")
  void mutualTlsAnswersOnlyATrustedCertificate(Route path, Client client) {
    try (RpcClient rpc = client(path, client, mutual.get(path.listener).port())) {
      EchoService echo = rpc.create(EchoService.class);
      if (client == Client.TLS_WITH_TRUSTED_CERTIFICATE) {
        assertThat(echo.echo("hello")).isEqualTo("hello");
      } else {
        assertThatThrownBy(() -> echo.echo("hello")).isInstanceOfSatisfying(RpcException.class,
            e -> assertThat(e.code()).as(e.toString()).isEqualTo(StatusCode.UNAVAILABLE));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Route.class)
  void serverOnlyTlsAnswersAnyTlsClientAndRefusesCleartext(Route path) {
    int port = serverOnly.get(path.listener).port();
    try (RpcClient tls = client(path, Client.TLS_WITHOUT_CERTIFICATE, port);
        RpcClient cleartext = client(path, Client.CLEARTEXT, port)) {
      assertThat(tls.create(EchoService.class).echo("hello")).isEqualTo("hello");
      assertThatThrownBy(() -> cleartext.create(EchoService.class).echo("hello"))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Route.class)
  void allowPlaintextServesTlsAndCleartextOnOnePort(Route route) {
    try (RpcServer server = server(route.listener, TlsConfig.forServer(pki.serverChain(), pki.serverKey())
            .allowPlaintext());
        RpcClient tls = client(route, Client.TLS_WITHOUT_CERTIFICATE, server.port());
        RpcClient cleartext = client(route, Client.CLEARTEXT, server.port())) {
      assertThat(tls.create(EchoService.class).echo("sealed")).isEqualTo("sealed");
      assertThat(cleartext.create(EchoService.class).echo("open")).isEqualTo("open");
    }
  }

  /** The first bytes of each cleartext protocol Courier speaks. */
  enum Cleartext {
    COURIER_TCP(new byte[] {(byte) 0xC0, (byte) 0xDE, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
        0}),
    HTTP2_PREFACE("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
    HTTP1_REQUEST(("POST /courier.testing.EchoService/echo HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n\"hello\"").getBytes(StandardCharsets.US_ASCII));

    final byte[] bytes;

    Cleartext(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  static Stream<Arguments> cleartextProbes() {
    List<Arguments> cells = new ArrayList<>();
    for (String listener : List.of("tcp", "http2", "rest")) {
      for (Cleartext probe : Cleartext.values()) {
        cells.add(Arguments.of(listener, probe));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{1} on the {0} listener")
  @MethodSource("cleartextProbes")
  void everyTlsPortClosesOnCleartextWithoutAnswering(String listener, Cleartext probe) throws Exception {
    byte[] answer = probe(serverOnly.get(listener).port(), probe.bytes);
    // nothing, or a TLS alert record (0x15): never a protocol answer
    assertThat(answer.length == 0 || answer[0] == 0x15)
        .as("%s answered %s", listener, new String(answer, StandardCharsets.ISO_8859_1)).isTrue();
  }

  /** Writes {@code bytes}, then reads until the server closes (within 10 s). */
  private static byte[] probe(int port, byte[] bytes) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          answer.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server kept the connection open for 10 s after " + answer.size() + " bytes", e);
      } catch (java.net.SocketException reset) {
        // closed with a reset: nothing more to read
      }
      return answer.toByteArray();
    }
  }

  /** Each client transport's first bytes to a server that never answers, with a bearer token configured. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Route.class)
  void aTlsClientSendsNothingInCleartext(Route path) throws Exception {
    try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      CompletableFuture<byte[]> firstBytes = CompletableFuture.supplyAsync(() -> {
        try (Socket socket = fake.accept()) {
          socket.setSoTimeout(5_000);
          byte[] buffer = new byte[16384];
          int n = socket.getInputStream().read(buffer);
          return java.util.Arrays.copyOf(buffer, Math.max(n, 0));
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      try (RpcClient rpc = builder(path, Client.TLS_WITH_TRUSTED_CERTIFICATE, fake.getLocalPort())
          .interceptor(io.courier.auth.BearerAuth.client(() -> "secret-token"))
          .defaultTimeout(Duration.ofSeconds(2)).build()) {
        EchoService echo = rpc.create(EchoService.class);
        assertThatThrownBy(() -> echo.echo("hello")).isInstanceOf(RpcException.class);
      }
      byte[] sent = firstBytes.get(10, TimeUnit.SECONDS);
      assertThat(sent.length).as("bytes the client sent").isGreaterThan(5);
      assertThat(sent[0]).as("a TLS handshake record").isEqualTo((byte) 0x16);
      assertThat(sent[1]).as("TLS major version").isEqualTo((byte) 0x03);
      String text = new String(sent, StandardCharsets.ISO_8859_1);
      assertThat(text).doesNotContain("secret-token").doesNotContain("EchoService").doesNotContain("PRI *");
    }
  }

  @Test
  void anOptionNoListenerReadsFailsTheBuild() {
    TlsConfig tls = TlsConfig.forServer(pki.serverChain(), pki.serverKey());
    assertThatThrownBy(() -> RpcServer.builder().listen("tcp", 0).service(EchoService.class, new EchoServiceImpl())
        .option(Http2Options.MAX_CONCURRENT_STREAMS, 10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http2.maxConcurrentStreams is read by none of this server's listeners [tcp]");
    assertThatThrownBy(() -> RpcClient.builder().transport("http2").address("127.0.0.1:1")
        .option(RestOptions.HTTP2, true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rest.http2 is not read by the http2 transport's client");
    assertThatThrownBy(() -> RpcServer.builder().listen("tcp", 0).listen(new NoTlsTransport(), 0)
        .service(EchoService.class, new EchoServiceImpl()).tls(tls).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls: the [no-tls] listener cannot serve TLS");
  }

  /** A transport that reads no option at all: TLS cannot be applied to it. */
  private static final class NoTlsTransport implements TransportFactory {
    private final TransportFactory inProcess = Transports.find("inprocess");

    @Override
    public String name() {
      return "no-tls";
    }

    @Override
    public ClientTransport newClientTransport(TransportContext context) {
      return inProcess.newClientTransport(context);
    }

    @Override
    public ServerTransport newServerTransport(TransportContext context) {
      return inProcess.newServerTransport(context);
    }

    @Override
    public java.util.Set<TransportOption<?>> clientOptions() {
      return java.util.Set.of();
    }

    @Override
    public java.util.Set<TransportOption<?>> serverOptions() {
      return java.util.Set.of();
    }
  }

  private RpcClient client(Route path, Client client, int port) {
    return builder(path, client, port).build();
  }

  private RpcClient.Builder builder(Route path, Client client, int port) {
    RpcClient.Builder builder = RpcClient.builder().transport(path.client).address("127.0.0.1:" + port)
        .serializer(path.client.equals("rest") ? "json" : "kryo").defaultTimeout(Duration.ofSeconds(10));
    if (path.h2) {
      builder.option(RestOptions.HTTP2, true);
    }
    TlsConfig trusting = TlsConfig.forClient().trust(pki.caCertificate());
    switch (client) {
      case CLEARTEXT -> { }
      case TLS_WITHOUT_CERTIFICATE -> builder.tls(trusting);
      case TLS_WITH_UNTRUSTED_CERTIFICATE -> builder.tls(trusting.identity(pki.rogueClientChain(),
          pki.rogueClientKey()));
      case TLS_WITH_TRUSTED_CERTIFICATE -> builder.tls(trusting.identity(pki.clientChain(), pki.clientKey()));
    }
    return builder;
  }
}
