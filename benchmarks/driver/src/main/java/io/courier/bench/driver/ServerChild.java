package io.courier.bench.driver;

import java.io.BufferedReader;
import java.io.PrintStream;

/**
 * The server role of a child JVM: serve, answer {@code STATS}, stop on {@code STOP} or end of input. The server is
 * not closed gracefully: the JVM halts right after.
 */
final class ServerChild {

  private final BenchSystem system;
  private final ChildMain.Options options;
  private final PrintStream protocol;
  private final BufferedReader commands;

  ServerChild(BenchSystem system, ChildMain.Options options, PrintStream protocol, BufferedReader commands) {
    this.system = system;
    this.options = options;
    this.protocol = protocol;
    this.commands = commands;
  }

  int run() throws Exception {
    ProcessMeters meters = new ProcessMeters();
    ProcessMeters.Snapshot origin = meters.snapshot();
    BenchSystem.RunningServer server = system.startServer(
        new BenchSystem.Endpoint(options.host(), options.port(), options.registry()));
    protocol.println("READY " + server.port());
    String line;
    while ((line = commands.readLine()) != null) {
      switch (line.trim()) {
        case "STATS" -> protocol.println("STATS " + meters.snapshot().since(origin).format());
        case "STOP" -> {
          return 0; // ChildMain halts the JVM, which closes the listening socket
        }
        default -> System.err.println("ignored command: " + line);
      }
    }
    return 0;
  }
}
