package io.courier.examples.quickstart;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a server, calls it through a stub, and stops. Run it with
 * {@code mvn -B -q -pl examples/quickstart -am -DskipTests package exec:java}.
 */
public final class Quickstart {

  private Quickstart() {}

  /** The implementation lives on the server. */
  static final class FriendlyGreeter implements Greeter {
    @Override
    public String greet(String name) {
      return "Hello, " + name + "!";
    }

    @Override
    public CompletableFuture<Greeting> greetLater(String name) {
      return CompletableFuture.completedFuture(new Greeting("Good to see you, " + name, LocalDate.now()));
    }
  }

  public static void main(String[] args) throws Exception {
    try (RpcServer server = RpcServer.builder().port(0).service(Greeter.class, new FriendlyGreeter()).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1:" + server.port()).build()) {
      Greeter greeter = client.create(Greeter.class);
      System.out.println(greeter.greet("Courier"));
      System.out.println(greeter.greetLater("async caller").get());
    }
  }
}
