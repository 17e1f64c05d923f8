package io.courier.examples.rest;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import java.util.concurrent.CountDownLatch;

/**
 * Serves {@link Books} as REST/JSON on port 8080 (or {@code --port=N}) until Ctrl-C, after calling it once through a
 * Courier stub over the same REST binding. Run it from the repository root with
 * {@code mvn -B -q -pl examples/rest -am -DskipTests package exec:java}, then try the curl commands of
 * {@code examples/rest/README.md}.
 */
public final class RestExample {

  private RestExample() {}

  /** Starts the bookshelf's REST server on {@code port} (0: any free port). */
  static RpcServer start(int port) {
    return RpcServer.builder().host("127.0.0.1").listen("rest", port).service(Books.class, new Bookshelf())
        .build().start();
  }

  public static void main(String[] args) throws InterruptedException {
    int port = 8080;
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        port = Integer.parseInt(arg.substring("--port=".length()));
      }
    }
    RpcServer server = start(port);
    // the same service through a Courier stub: each call is an HTTP request to the routes above
    try (RpcClient client = RpcClient.builder().transport("rest").serializer("json")
        .address("127.0.0.1:" + server.port()).build()) {
      Books books = client.create(Books.class);
      System.out.println("Courier stub over REST: " + books.get("978-0134685991"));
    }
    System.out.println("REST bookshelf on http://localhost:" + server.port() + " (Ctrl-C stops it), for example:");
    System.out.println("  curl -s http://localhost:" + server.port() + "/books/978-0134685991");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "rest-example-shutdown"));
    stopped.await(); // until Ctrl-C
  }
}
