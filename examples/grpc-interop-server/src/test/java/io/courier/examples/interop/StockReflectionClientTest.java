package io.courier.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.courier.server.RpcServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A stock gRPC reflection client — {@code grpc-js-reflection-client} on {@code @grpc/grpc-js}, from npm, versions
 * pinned by {@code src/test/node/package-lock.json} — lists the interop server's services and describes a method
 * through Courier's server reflection, then calls it from the reflected definition alone. Needs node and npm (and the
 * npm registry or npm's cache, once): without them the test is skipped, unless the environment variable
 * {@code COURIER_REQUIRE_EXTERNAL_PEERS=1} is set (as {@code .ci/run} does), which makes it fail instead.
 */
class StockReflectionClientTest {

  private static final Path SOURCES = Path.of("src", "test", "node");
  private static final Path CLIENT = Path.of("target", "stock-reflection-client");
  private static final List<String> FILES = List.of("package.json", "package-lock.json", "reflect.js");
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  private static final String SERVICE = "grpc.testing.TestService";

  @Test
  void aStockClientListsServicesAndDescribesAMethodOfTheInteropServer() throws Exception {
    Path node = onPath("node");
    Path npm = onPath("npm");
    if (node == null || npm == null) {
      String missing = "node and npm are needed for the stock reflection client (found: node " + node + ", npm " + npm
          + "; install them with apt-get install nodejs npm)";
      if ("1".equals(System.getenv("COURIER_REQUIRE_EXTERNAL_PEERS"))) {
        fail(missing + ", and COURIER_REQUIRE_EXTERNAL_PEERS=1 requires them");
      }
      Assumptions.abort(missing + "; skipped (set COURIER_REQUIRE_EXTERNAL_PEERS=1 to fail instead)");
    }
    Path client = install(npm);
    try (RpcServer server = InteropServer.start(0, null, null, false, true)) {
      String output = run(client, RUN_TIMEOUT, node.toString(), "reflect.js", "127.0.0.1:" + server.port(), SERVICE,
          "UnaryCall");
      String services = SERVICE + " grpc.health.v1.Health grpc.reflection.v1.ServerReflection"
          + " grpc.reflection.v1alpha.ServerReflection";
      assertThat(output).contains("services (v1): " + services, "services (v1alpha): " + services,
          "methods of grpc.testing.TestService: EmptyCall UnaryCall CacheableUnaryCall StreamingOutputCall"
              + " StreamingInputCall FullDuplexCall HalfDuplexCall UnimplementedCall",
          "method /grpc.testing.TestService/UnaryCall: request SimpleRequest, response SimpleResponse,"
              + " client streaming false, server streaming false",
          "fields of SimpleRequest: response_type=1 response_size=2 payload=3",
          "called UnaryCall: response payload of 7 bytes");
    }
  }

  /** The client's files in target/, and its packages installed by {@code npm ci} unless the same lock file was. */
  private static Path install(Path npm) throws Exception {
    Files.createDirectories(CLIENT);
    Path lock = CLIENT.resolve("package-lock.json");
    boolean installed = Files.isDirectory(CLIENT.resolve("node_modules")) && Files.exists(lock)
        && Arrays.equals(Files.readAllBytes(lock), Files.readAllBytes(SOURCES.resolve("package-lock.json")));
    for (String file : FILES) {
      Files.copy(SOURCES.resolve(file), CLIENT.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!installed) {
      run(CLIENT, INSTALL_TIMEOUT, npm.toString(), "ci", "--ignore-scripts", "--no-audit", "--no-fund",
          "--prefer-offline");
    }
    return CLIENT;
  }

  /** Runs a command in {@code dir}; its output (stdout and stderr), or a failure with it. */
  private static String run(Path dir, Duration timeout, String... command) throws Exception {
    Path log = Files.createTempFile("courier-stock-client", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("npm_config_update_notifier", "false");
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s; its output:\n"
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("exit code of %s; its output:%n%s", String.join(" ", command), output)
          .isZero();
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The executable of this name on the PATH, or {@code null}. */
  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    for (String directory : path == null ? new String[0] : path.split(File.pathSeparator)) {
      Path candidate = Path.of(directory).resolve(name);
      if (!directory.isEmpty() && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
