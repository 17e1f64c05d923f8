package io.courier.examples.interop;

import io.courier.server.RpcServer;
import io.courier.transport.http2.GrpcTls;
import io.courier.transport.http2.Http2Options;
import java.io.File;
import java.util.concurrent.CountDownLatch;

/**
 * Serves gRPC's interop {@code grpc.testing.TestService} (and {@code grpc.health.v1.Health}) with Courier, so that
 * any gRPC client — grpc-java's interop client, grpcurl, grpc-python, grpc-node — can be pointed at it.
 *
 * <pre>
 * mvn -B -q -pl examples/grpc-interop-server -am -DskipTests package exec:java -Dexec.args="--port=50051"
 * # with TLS (ALPN h2); cleartext HTTP/2 keeps working on the same port:
 * mvn ... exec:java -Dexec.args="--port=50443 --tls_cert=server.pem --tls_key=server.key"
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
    File cert = null;
    File key = null;
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        port = Integer.parseInt(arg.substring("--port=".length()));
      } else if (arg.startsWith("--tls_cert=")) {
        cert = new File(arg.substring("--tls_cert=".length()));
      } else if (arg.startsWith("--tls_key=")) {
        key = new File(arg.substring("--tls_key=".length()));
      } else {
        System.err.println("unknown argument " + arg
            + " (expected: --port=N, and --tls_cert=PEM --tls_key=PEM for TLS)");
        System.exit(2);
      }
    }
    if ((cert == null) != (key == null)) {
      System.err.println("--tls_cert and --tls_key go together (a PEM certificate chain and its PKCS#8 key)");
      System.exit(2);
    }
    RpcServer server = start(port, cert, key);
    System.out.println("Courier gRPC interop server listening on port " + server.port()
        + (cert != null ? " (TLS with ALPN h2, and cleartext HTTP/2)" : " (cleartext HTTP/2)"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "interop-server-shutdown"));
    stopped.await();
  }

  /** Starts the server on {@code port} (0 picks one); TLS when {@code cert} and {@code key} are given. */
  public static RpcServer start(int port, File cert, File key) {
    RpcServer.Builder builder = RpcServer.builder()
        .listen("http2", port)
        .service(TestService.class, new InteropTestService())
        .interceptor(new EchoMetadataInterceptor())
        .option(Http2Options.MAX_INBOUND_MESSAGE_SIZE, MAX_MESSAGE_SIZE);
    if (cert != null) {
      builder.option(Http2Options.SSL_CONTEXT, GrpcTls.server(cert, key));
    }
    return builder.build().start();
  }
}
