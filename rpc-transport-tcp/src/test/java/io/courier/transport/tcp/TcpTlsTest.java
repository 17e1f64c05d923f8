package io.courier.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.TestCertificates;
import io.courier.transport.TlsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS on the TCP transport, and the errors each side sees when the other is wrong. */
class TcpTlsTest {

  @TempDir
  static Path dir;
  static TestCertificates pki;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeAll
  static void generateCertificates() {
    pki = TestCertificates.create(dir);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private RpcServer server(TlsConfig tls) {
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).tls(tls)
        .service(EchoService.class, new EchoServiceImpl()).build().start();
    resources.add(server);
    return server;
  }

  private EchoService stub(RpcServer server, TlsConfig tls) {
    RpcClient.Builder builder = RpcClient.builder().address("127.0.0.1:" + server.port()).serializer("kryo");
    if (tls != null) {
      builder.tls(tls);
    }
    RpcClient client = builder.build();
    resources.add(client);
    return client.create(EchoService.class);
  }

  private TlsConfig serverTls() {
    return TlsConfig.forServer(pki.serverChain(), pki.serverKey()).provider(TlsConfig.Provider.JDK);
  }

  @Test
  void callsOverTls() {
    RpcServer server = server(serverTls());
    EchoService stub = stub(server, TlsConfig.forClient().trust(pki.caCertificate()));
    assertThat(stub.echo("encrypted")).isEqualTo("encrypted");
  }

  @Test
  void callsOverMutualTls() {
    RpcServer server = server(serverTls().trust(pki.caCertificate()).clientAuth(TlsConfig.ClientAuth.REQUIRE));
    EchoService stub = stub(server, TlsConfig.forClient().trust(pki.caCertificate())
        .identity(pki.clientChain(), pki.clientKey()));
    assertThat(stub.echo("mutual")).isEqualTo("mutual");
  }

  @Test
  void aPlaintextClientIsRefusedWithAHint() {
    RpcServer server = server(serverTls());
    EchoService stub = stub(server, null);
    assertThatThrownBy(() -> stub.echo("plain")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(e.status().description()).contains("configure the client with tls(...)");
    });
  }

  @Test
  void aClientThatDoesNotTrustTheServerRefusesIt() {
    RpcServer server = server(serverTls());
    EchoService stub = stub(server, TlsConfig.forClient().trust(pki.rogueCaCertificate()));
    assertThatThrownBy(() -> stub.echo("who are you")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(e.status().description()).contains("TLS handshake failed");
    });
  }

  @Test
  void mutualTlsRefusesClientsWithoutATrustedCertificate() {
    RpcServer server = server(serverTls().trust(pki.caCertificate()).clientAuth(TlsConfig.ClientAuth.REQUIRE));
    EchoService anonymous = stub(server, TlsConfig.forClient().trust(pki.caCertificate()));
    assertThatThrownBy(() -> anonymous.echo("no cert")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    EchoService rogue = stub(server, TlsConfig.forClient().trust(pki.caCertificate())
        .identity(pki.rogueClientChain(), pki.rogueClientKey()));
    assertThatThrownBy(() -> rogue.echo("wrong ca")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
  }

  @Test
  void restrictsProtocols() {
    RpcServer server = server(serverTls().protocols("TLSv1.3"));
    EchoService modern = stub(server, TlsConfig.forClient().trust(pki.caCertificate()).protocols("TLSv1.3"));
    assertThat(modern.echo("1.3")).isEqualTo("1.3");
    EchoService old = stub(server, TlsConfig.forClient().trust(pki.caCertificate()).protocols("TLSv1.2"));
    assertThatThrownBy(() -> old.echo("1.2")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.status().description()).contains("TLS handshake failed"));
  }

  @Test
  void restrictsCiphers() {
    RpcServer server = server(serverTls().protocols("TLSv1.3").ciphers("TLS_AES_256_GCM_SHA384"));
    EchoService same = stub(server, TlsConfig.forClient().trust(pki.caCertificate()).protocols("TLSv1.3")
        .ciphers("TLS_AES_256_GCM_SHA384"));
    assertThat(same.echo("AES-256")).isEqualTo("AES-256");
    EchoService other = stub(server, TlsConfig.forClient().trust(pki.caCertificate()).protocols("TLSv1.3")
        .ciphers("TLS_AES_128_GCM_SHA256"));
    assertThatThrownBy(() -> other.echo("AES-128")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.status().description()).contains("TLS handshake failed"));
  }

  @Test
  void configurationMistakesAreCaughtAtBuildTime() {
    assertThatThrownBy(() -> RpcServer.builder().tls(TlsConfig.forClient()))
        .hasMessageContaining("expected: TlsConfig.forServer");
    assertThatThrownBy(() -> TlsConfig.forServer(dir.resolve("missing.crt"), pki.serverKey()))
        .hasMessageContaining("missing.crt (expected: a readable PEM file)");
    assertThatThrownBy(() -> TlsConfig.forClient().clientAuth(TlsConfig.ClientAuth.REQUIRE))
        .hasMessageContaining("expected: set on a server TlsConfig");
  }
}
