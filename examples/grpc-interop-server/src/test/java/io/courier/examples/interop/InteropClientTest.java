package io.courier.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.server.RpcServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance test of the http2 transport: grpc-java's own interop client
 * ({@code io.grpc.testing.integration.TestServiceClient}, plaintext, grpc-netty) runs each required interop case
 * against the Courier {@link InteropServer}. The client calls {@code System.exit}, so each case runs in a JVM of
 * its own on this test's class path; a case passes when the client exits 0 after printing
 * {@code Test completed.}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteropClientTest {

  private static final long CASE_TIMEOUT_SECONDS = 60;

  private RpcServer server;

  @BeforeAll
  void startServer() {
    server = InteropServer.start(0, null, null, false);
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong",
      "empty_stream", "custom_metadata", "status_code_and_message", "special_status_message",
      "unimplemented_method", "unimplemented_service", "cancel_after_begin", "cancel_after_first_response",
      "timeout_on_sleeping_server", "very_large_request", "client_compressed_unary", "server_compressed_unary",
      "client_compressed_streaming", "server_compressed_streaming"})
  void grpcJavaInteropClientPasses(String testCase) throws Exception {
    Path log = Files.createTempFile("interop-" + testCase, ".log");
    try {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-XX:+UseSerialGC");
      command.add("-cp");
      command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
      command.add("io.grpc.testing.integration.TestServiceClient");
      command.add("--server_host=127.0.0.1");
      command.add("--server_port=" + server.port());
      command.add("--use_tls=false");
      command.add("--test_case=" + testCase);
      Process client = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean exited = client.waitFor(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!exited) {
        client.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(exited).as("%s finished within %d s; output:%n%s", testCase, CASE_TIMEOUT_SECONDS, output).isTrue();
      assertThat(client.exitValue()).as("exit code of %s; output:%n%s", testCase, output).isZero();
      assertThat(output).as("output of %s", testCase).contains("Running test " + testCase)
          .contains("Test completed.");
    } finally {
      Files.deleteIfExists(log);
    }
  }

}
