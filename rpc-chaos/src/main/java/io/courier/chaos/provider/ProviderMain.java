package io.courier.chaos.provider;

import io.courier.server.RpcServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link Inventory} provider in a JVM of its own, as {@link ProviderProcess} starts it:
 *
 * <pre>
 * java -cp ... io.courier.chaos.provider.ProviderMain name=p1 registry=zookeeper://127.0.0.1:2181 [port=0]
 *     [grace=5s] [workers=32]
 * </pre>
 *
 * <p>Serves TCP on 127.0.0.1, registers in the registry (unless it is {@code none}: callers then know its address),
 * prints {@value #READY} {@code port=<port> pid=<pid>} and then reads commands from standard input:
 * {@code latency <ms>} injects latency. SIGTERM (a JVM shutdown) closes the server gracefully — deregister, drain,
 * close; SIGKILL is the crash the scenarios are about. When standard input ends, that is when the parent process died
 * or let go of this one, the provider exits too: none outlives its test.
 */
public final class ProviderMain {

  /** The line a provider prints once it serves and is registered. */
  public static final String READY = "COURIER-PROVIDER READY";
  /** The line a provider prints once its graceful shutdown is over. */
  public static final String CLOSED = "COURIER-PROVIDER CLOSED";

  private ProviderMain() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = parse(args);
    String name = required(options, "name");
    InventoryProvider inventory = new InventoryProvider(name);
    RpcServer.Builder builder = RpcServer.builder()
        .host("127.0.0.1")
        .advertisedHost("127.0.0.1")
        .port(Integer.parseInt(options.getOrDefault("port", "0")))
        .service(Inventory.class, inventory)
        .gracePeriod(Duration.parse("PT" + options.getOrDefault("grace", "5s")))
        .workerThreads(Integer.parseInt(options.getOrDefault("workers", "32")));
    String registry = required(options, "registry");
    if (!registry.equals("none")) {
      builder.registry(registry);
    }
    RpcServer server = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      System.out.println(CLOSED + " " + name);
      System.out.flush();
    }, "provider-shutdown"));
    System.out.println(READY + " port=" + server.port() + " pid=" + ProcessHandle.current().pid());
    System.out.flush();

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      if (words.length == 2 && words[0].equals("latency")) {
        inventory.injectLatency(Long.parseLong(words[1]));
        System.out.println("latency " + words[1] + " ms");
        System.out.flush();
      } else if (!line.isBlank()) {
        System.err.println("unknown command: " + line + " (expected: latency <ms>)");
      }
    }
    // The parent is gone: shut down gracefully, but never linger past a hard limit.
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(30_000);
      } catch (InterruptedException e) {
        return;
      }
      Runtime.getRuntime().halt(3);
    }, "provider-exit-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    System.exit(0);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument: '" + arg + "' (expected: key=value)");
      }
      options.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return options;
  }

  private static String required(Map<String, String> options, String key) {
    String value = options.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing argument " + key + "=... (got " + options + ")");
    }
    return value;
  }
}
