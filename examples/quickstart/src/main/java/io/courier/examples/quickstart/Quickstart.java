package io.courier.examples.quickstart;

import io.courier.client.RpcClient;
import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.server.RpcServer;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a ZooKeeper inside this JVM, a server that registers in it and a client that finds the server there, calls
 * it through a stub, and stops. Run it with
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
    // "embedded" starts a ZooKeeper in this JVM; in production use "zookeeper://host:2181". Closed last.
    try (Registry registry = Registries.connect("embedded");
        RpcServer server = RpcServer.builder().port(0).service(Greeter.class, new FriendlyGreeter())
            .registry(registry) // registers once bound, deregisters first on close
            .build().start();
        RpcClient client = RpcClient.builder().registry(registry).build()) {
      Greeter greeter = client.create(Greeter.class); // finds the server in ZooKeeper
      System.out.println(greeter.greet("Courier"));
      System.out.println(greeter.greetLater("async caller").get());
      System.out.println("found through " + registry.describe() + ": " + client.providers(greeter));
    }
  }
}
