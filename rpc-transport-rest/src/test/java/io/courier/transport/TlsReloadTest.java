package io.courier.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.Polling;
import io.courier.testing.TestCertificates;
import io.courier.transport.rest.RestOptions;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server's certificate is rotated on disk while clients call it: new connections get the new certificate without a
 * restart, the connections already open keep working, and no call fails — on every listener.
 */
class TlsReloadTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void aRotatedCertificateIsServedToNewConnectionsAndNoCallIsLost(String listener) throws Exception {
    TestCertificates pki = TestCertificates.create(dir);
    TlsConfig serverTls = TlsConfig.forServer(pki.serverChain(), pki.serverKey()).reloadInterval(Duration.ofMillis(1));
    TlsConfig clientTls = TlsConfig.forClient().trust(pki.caCertificate());
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").listen(listener, 0).tls(serverTls)
        .service(EchoService.class, new EchoServiceImpl()).build().start()) {
      int port = server.port();
      assertThat(subjectOf(port)).isEqualTo("CN=localhost");

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger calls = new AtomicInteger();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      Thread load = new Thread(() -> {
        try (RpcClient steady = client(listener, port, clientTls)) {
          EchoService echo = steady.create(EchoService.class);
          while (!stop.get()) {
            try {
              assertThat(echo.echo("steady")).isEqualTo("steady");
              calls.incrementAndGet();
              try (RpcClient fresh = client(listener, port, clientTls)) { // a new connection each time
                assertThat(fresh.create(EchoService.class).echo("fresh")).isEqualTo("fresh");
                calls.incrementAndGet();
              }
            } catch (Throwable t) {
              failures.add(t);
            }
          }
        }
      }, "tls-reload-load");
      load.start();
      try {
        Polling.await("calls under way", () -> calls.get() >= 10);
        pki.rotateServerCertificate("CN=localhost, O=rotated");
        Polling.await("the rotated certificate on new connections", () -> subjectOf(port).contains("O=rotated"));
        int after = calls.get();
        Polling.await("calls after the rotation", () -> calls.get() >= after + 10);
      } finally {
        stop.set(true);
        load.join(30_000);
      }
      assertThat(failures).as("calls that failed during the rotation").isEmpty();
    }
  }

  private static RpcClient client(String listener, int port, TlsConfig tls) {
    RpcClient.Builder builder = RpcClient.builder().transport(listener).address("127.0.0.1:" + port).tls(tls)
        .serializer(listener.equals("rest") ? "json" : "kryo");
    if (listener.equals("rest")) {
      builder.option(RestOptions.HTTP2, false);
    }
    return builder.build();
  }

  /** The subject (RFC 2253) of the certificate the server presents to a new TLS connection. */
  private static String subjectOf(int port) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustingManager()}, null);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
        socket.setSoTimeout(5_000);
        socket.startHandshake();
        X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        return certificate.getSubjectX500Principal().getName();
      }
    } catch (Exception e) {
      throw new IllegalStateException("TLS handshake with port " + port + " failed", e);
    }
  }

  /** Accepts any server: this client only reads which certificate it is shown. */
  private static final class TrustingManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
