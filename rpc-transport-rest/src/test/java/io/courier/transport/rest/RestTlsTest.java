package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import io.courier.testing.TestCertificates;
import io.courier.transport.TlsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code rest} listener with TLS: ALPN chooses h2 or HTTP/1.1, for the JDK's own HTTP client (which speaks h2 only
 * over TLS) and for Courier's rest client either way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestTlsTest {

  @TempDir
  static Path dir;
  private TestCertificates pki;
  private RpcServer server;

  @BeforeAll
  void start() {
    pki = TestCertificates.create(dir);
    server = RpcServer.builder().host("127.0.0.1").listen("rest", 0)
        .service(UserResource.class, new UserResource.Impl())
        .tls(TlsConfig.forServer(pki.serverChain(), pki.serverKey())).build().start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void theJdkHttpClientNegotiatesItsVersionWithAlpn(String version) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.valueOf(version)).sslContext(trusting())
        .connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port()
        + "/users/5")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.version()).isEqualTo(HttpClient.Version.valueOf(version));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).contains("\"id\":5");
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port()
        + "/demo.Users/greet")).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("[\"a\",\"b\"]")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.body()).isEqualTo("\"Hello, a b!\"");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theCourierClientCallsOverTls(boolean overH2) {
    try (RpcClient client = RpcClient.builder().transport("rest").serializer("json")
        .address("127.0.0.1:" + server.port()).tls(TlsConfig.forClient().trust(pki.caCertificate()))
        .option(RestOptions.HTTP2, overH2).build()) {
      assertThat(client.create(UserResource.class).get(9).name()).isEqualTo("user-9");
    }
  }

  private SSLContext trusting() throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (var in = java.nio.file.Files.newInputStream(pki.caCertificate())) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
