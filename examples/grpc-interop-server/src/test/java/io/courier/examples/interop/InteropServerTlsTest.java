package io.courier.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.server.RpcServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of the interop server as a person starts it with a certificate: TLS with ALPN {@code h2}, using
 * grpc-java's test certificate ({@code certs/server1.pem}, signed by its test CA), and grpc-java's interop
 * client connecting with {@code --use_tls=true --use_test_ca=true}. Cleartext is refused on that port, unless the
 * server was started with {@code --allow_plaintext}.
 */
class InteropServerTlsTest {

  @TempDir
  Path dir;

  @Test
  void grpcJavaClientConnectsOverTlsAndCleartextIsRefused() throws Exception {
    RpcServer server = InteropServer.start(0, copy("certs/server1.pem"), copy("certs/server1.key"), false);
    try {
      assertThat(runClient(server.port(), 0, "--use_tls=true", "--use_test_ca=true",
          "--server_host_override=foo.test.google.fr")).contains("Test completed.");
      assertThat(runClient(server.port(), 1, "--use_tls=false")).doesNotContain("Test completed.")
          .contains("UNAVAILABLE");
    } finally {
      server.close();
    }
  }

  @Test
  void allowPlaintextServesBothOnTheSamePort() throws Exception {
    RpcServer server = InteropServer.start(0, copy("certs/server1.pem"), copy("certs/server1.key"), true);
    try {
      assertThat(runClient(server.port(), 0, "--use_tls=true", "--use_test_ca=true",
          "--server_host_override=foo.test.google.fr")).contains("Test completed.");
      assertThat(runClient(server.port(), 0, "--use_tls=false")).contains("Test completed.");
    } finally {
      server.close();
    }
  }

  private Path copy(String resource) throws Exception {
    Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    if (Files.exists(target)) {
      return target;
    }
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as("%s from grpc-testing on the class path", resource).isNotNull();
      Files.copy(in, target);
    }
    return target;
  }

  private String runClient(int port, int expectedExitCode, String... tlsArguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        "io.grpc.testing.integration.TestServiceClient", "--server_host=localhost", "--server_port=" + port,
        "--test_case=large_unary"));
    command.addAll(List.of(tlsArguments));
    Path log = Files.createTempFile(dir, "client", ".log");
    Process client = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean exited = client.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      client.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(exited).as("the client finished within 60 s; output:%n%s", text).isTrue();
    assertThat(client.exitValue()).as("exit code; output:%n%s", text).isEqualTo(expectedExitCode);
    return text;
  }
}
