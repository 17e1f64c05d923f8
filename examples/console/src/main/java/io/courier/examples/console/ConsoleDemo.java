package io.courier.examples.console;

import io.courier.auth.AccessPolicy;
import io.courier.auth.BearerAuth;
import io.courier.client.RpcClient;
import io.courier.console.ConsoleOptions;
import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.server.RpcServer;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A server with the console enabled (docs/console.md): tcp and rest listeners on the loopback interface, registered in
 * a ZooKeeper started in this JVM, behind {@link BearerAuth} with static tokens and an {@link AccessPolicy}, serving
 * {@link Users} and {@link Clock}, beside a second provider of both without a console. Run it from the repository
 * root with {@code mvn -B -q -pl examples/console -am -DskipTests package exec:java} (add
 * {@code -Dexec.args=--port=8080} for a fixed REST port), open the URL it prints and enter the token it prints. A
 * client calls the services ten times a second meanwhile, so the console's figures move.
 */
public final class ConsoleDemo {

  /** The token of the caller {@value #OPERATOR}: it may read the console, call through it and take actions. */
  public static final String OPERATOR_TOKEN = "console-demo-operator";
  /** The token of the caller {@value #VIEWER}: it may read the console and nothing else. */
  public static final String VIEWER_TOKEN = "console-demo-viewer";
  static final String OPERATOR = "ops";
  static final String VIEWER = "viewer";

  private ConsoleDemo() {}

  /**
   * The demo server, ready to build: {@code tcp} on {@code tcpPort} and {@code rest} (where the console is) on
   * {@code restPort} of {@code 127.0.0.1}, 0 for any free port; registered in {@code registry}.
   */
  public static RpcServer.Builder server(Registry registry, int tcpPort, int restPort) {
    return provider(registry, tcpPort)
        .listen("rest", restPort)
        .metadata("zone", "a")
        .console(ConsoleOptions.builder().build()); // loopback callers only, by default
  }

  /**
   * Another provider of the same services, ready to build: {@code tcp} only, on {@code tcpPort} of {@code 127.0.0.1},
   * registered in {@code registry}, without a console. The console lists it among the providers; with it registered,
   * the console server's Offline takes the console server out of every client's view (a client whose registry lists no
   * provider at all keeps calling the last one it knew).
   */
  public static RpcServer.Builder secondProvider(Registry registry, int tcpPort) {
    return provider(registry, tcpPort).metadata("zone", "b");
  }

  private static RpcServer.Builder provider(Registry registry, int tcpPort) {
    AccessPolicy policy = AccessPolicy.builder()
        .allow("courier.Console/read", OPERATOR, VIEWER)  // the page's data
        .allow("courier.Console/*", OPERATOR)             // try it, offline, online, drain
        .allow("demo.Users/*", OPERATOR)                  // what try-it calls, with the same token
        .allow("demo.Clock/*", OPERATOR)
        .build();
    return RpcServer.builder()
        .host("127.0.0.1")
        .listen("tcp", tcpPort)
        .registry(registry)
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of(OPERATOR_TOKEN, OPERATOR,
            VIEWER_TOKEN, VIEWER))))
        .interceptor(policy)
        .service(Users.class, new UserDirectory())
        .service(Clock.class, new JavaTimeClock());
  }

  /** The console's address on {@code server}'s rest listener. */
  public static String consoleUrl(RpcServer server) {
    return "http://127.0.0.1:" + server.port("rest") + "/courier/console/";
  }

  public static void main(String[] args) throws Exception {
    int restPort = 0;
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        restPort = Integer.parseInt(arg.substring("--port=".length()));
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // "embedded" starts a ZooKeeper in this JVM that the registry stops when it closes; closed in reverse order
    try (Registry registry = Registries.connect("embedded");
        RpcServer server = server(registry, 0, restPort).onShutdown(stopped::countDown).build().start();
        RpcServer other = secondProvider(registry, 0).build().start();
        RpcClient client = RpcClient.builder().registry(registry)
            .interceptor(BearerAuth.client(() -> OPERATOR_TOKEN)).build()) {
      System.out.println("Courier console: " + consoleUrl(server));
      System.out.println("  token " + OPERATOR_TOKEN + " (reads, calls, offline/online/drain) or " + VIEWER_TOKEN
          + " (reads only); Ctrl-C or Drain stops the server");
      ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "console-demo-traffic");
        thread.setDaemon(true);
        return thread;
      });
      Users users = client.create(Users.class);
      traffic.scheduleAtFixedRate(() -> {
        try {
          users.get(ThreadLocalRandom.current().nextLong(1, 5)); // 4 does not exist: some NOT_FOUND
        } catch (RuntimeException expected) {
          // a NOT_FOUND, or no provider while the server is offline: the console shows both
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "console-demo-shutdown"));
      stopped.await(); // until Ctrl-C, or Drain in the console
      traffic.shutdownNow();
    }
  }
}
