package io.courier.examples.interop;

import io.courier.server.RpcServer;
import io.courier.transport.TlsConfig;
import io.courier.transport.http2.Http2Options;
import io.courier.transport.http2.ReflectionFiles;
import io.grpc.testing.integration.Test;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Serves gRPC's interop {@code grpc.testing.TestService} (and {@code grpc.health.v1.Health}) with Courier, so that
 * any gRPC client — grpc-java's interop client, grpcurl, grpc-python, grpc-node — can be pointed at it.
 *
 * <pre>
 * mvn -B -q -pl examples/grpc-interop-server -am -DskipTests package exec:java -Dexec.args="--port=50051"
 * # with TLS (ALPN h2); cleartext is refused on that port unless --allow_plaintext is given too:
 * mvn ... exec:java -Dexec.args="--port=50443 --tls_cert=server.pem --tls_key=server.key"
 * # with gRPC server reflection, for grpcurl and other stock tools (grpcurl -plaintext localhost:50051 list):
 * mvn ... exec:java -Dexec.args="--port=50051 --reflection"
 * </pre>
 *
 * Runs until the process is stopped (Ctrl-C), then shuts down gracefully.
 */
public final class InteropServer {

  /** gRPC's interop tests send requests of up to 10 MiB; grpc-java's interop server allows 16 MiB. */
  static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

  private InteropServer() {}

  public static void main(String[] args) throws InterruptedException {
    int port = 50051;
    Path cert = null;
    Path key = null;
    boolean allowPlaintext = false;
    boolean reflection = false;
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        port = Integer.parseInt(arg.substring("--port=".length()));
      } else if (arg.startsWith("--tls_cert=")) {
        cert = Path.of(arg.substring("--tls_cert=".length()));
      } else if (arg.startsWith("--tls_key=")) {
        key = Path.of(arg.substring("--tls_key=".length()));
      } else if (arg.equals("--allow_plaintext")) {
        allowPlaintext = true;
      } else if (arg.equals("--reflection")) {
        reflection = true;
      } else {
        System.err.println("unknown argument " + arg + " (expected: --port=N, --reflection, and"
            + " --tls_cert=PEM --tls_key=PEM [--allow_plaintext] for TLS)");
        System.exit(2);
      }
    }
    if ((cert == null) != (key == null) || (allowPlaintext && cert == null)) {
      System.err.println("--tls_cert and --tls_key go together (a PEM certificate chain and its PKCS#8 key), and"
          + " --allow_plaintext needs them");
      System.exit(2);
    }
    RpcServer server = start(port, cert, key, allowPlaintext, reflection);
    System.out.println("Courier gRPC interop server listening on port " + server.port()
        + (cert == null ? " (cleartext HTTP/2)" : allowPlaintext ? " (TLS with ALPN h2, and cleartext HTTP/2)"
        : " (TLS with ALPN h2 only)") + (reflection ? ", with gRPC server reflection" : ""));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "interop-server-shutdown"));
    stopped.await();
  }

  /**
   * Starts the server on {@code port} (0 picks one); TLS when {@code cert} and {@code key} are given, and then
   * cleartext too only if {@code allowPlaintext}.
   */
  public static RpcServer start(int port, Path cert, Path key, boolean allowPlaintext) {
    return start(port, cert, key, allowPlaintext, false);
  }

  /**
   * As {@link #start(int, Path, Path, boolean)}, with gRPC server reflection if {@code reflection}: the service is
   * described by gRPC's own {@code grpc/testing/test.proto}, the file that declares it.
   */
  public static RpcServer start(int port, Path cert, Path key, boolean allowPlaintext, boolean reflection) {
    RpcServer.Builder builder = RpcServer.builder()
        .listen("http2", port)
        .service(TestService.class, new InteropTestService())
        .interceptor(new EchoMetadataInterceptor())
        .option(Http2Options.MAX_INBOUND_MESSAGE_SIZE, MAX_MESSAGE_SIZE);
    if (cert != null) {
      TlsConfig tls = TlsConfig.forServer(cert, key);
      builder.tls(allowPlaintext ? tls.allowPlaintext() : tls);
    }
    if (reflection) {
      builder.option(Http2Options.REFLECTION, true)
          .option(Http2Options.REFLECTION_FILES, ReflectionFiles.of(Test.getDescriptor()));
    }
    return builder.build().start();
  }
}
