package io.courier.bench.driver;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The main class of every system jar. Runs one system as a server or as the client load, talking to the harness
 * in lines on standard output and input:
 *
 * <pre>
 * java -jar bench-system.jar server SYSTEM [--port N] [--registry URL]
 *   prints   READY port              once it accepts calls
 *   reads    STATS                   prints STATS elapsedNs=.. cpuNs=.. allocBytes=.. jitMs=.. (since start)
 *   reads    STOP, or end of input   closes and exits
 *
 * java -jar bench-system.jar client SYSTEM --target HOST:PORT [--registry URL] --cell SPEC [--cell SPEC ...]
 *                                   [--jvm-warmup MS [--jvm-warmup-rounds N]] [--hlog-dir DIR] [--no-handshake]
 *   with --jvm-warmup: runs every workload of the cells for MS first, in up to N rounds until both JVMs' JIT is
 *                  quiet and two rounds agree; before and after each round prints JIT and reads JIT ms (the
 *                  server's compilation time, -1 without one); then prints WARMED ms rounds=n jitQuiet=b agree=b
 *   for each cell: prints CELL i label, then MARK start i and waits for GO, measures,
 *                  prints MARK end i and waits for GO, then RESULT ... (see CellReport)
 *   prints   DONE                    and exits
 * </pre>
 *
 * Library output that goes to {@code System.out} is moved to standard error, so that standard output carries
 * nothing but these lines. When the harness goes away (end of input), the child exits: no orphan JVMs. A child
 * ends by halting, without closing its server or client gracefully: it has nothing left to measure.
 */
public final class ChildMain {

  private ChildMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (args.length < 2) {
      usage("expected: server|client SYSTEM [options]");
    }
    Options options = Options.parse(args);
    BenchSystem system = find(args[1]);
    int status;
    try {
      status = switch (args[0]) {
        case "server" -> new ServerChild(system, options, protocol, commands).run();
        case "client" -> new ClientChild(system, options, protocol, commands).run();
        default -> {
          usage("unknown role '" + args[0] + "' (expected: server or client)");
          yield 2;
        }
      };
    } catch (Throwable e) {
      System.err.println("bench child failed: " + e);
      e.printStackTrace();
      protocol.println("FAILED " + oneLine(e));
      status = 1;
    }
    // Halt rather than exit: the frameworks' shutdown hooks (graceful drains of several seconds) have nothing to
    // drain here, and the harness waits for this process before it starts the next trial.
    protocol.flush();
    System.err.flush();
    Runtime.getRuntime().halt(status);
  }

  static String oneLine(Throwable e) {
    StringBuilder b = new StringBuilder(e.toString());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      b.append(" <- ").append(c);
    }
    return b.toString().replace('\n', ' ').replace('\r', ' ');
  }

  /** The system called {@code name} in this jar. */
  static BenchSystem find(String name) {
    List<String> names = new ArrayList<>();
    for (BenchSystem s : ServiceLoader.load(BenchSystem.class)) {
      if (s.name().equals(name)) {
        return s;
      }
      names.add(s.name());
    }
    throw new IllegalArgumentException("system '" + name + "' is not in this jar (it has: "
        + names.stream().sorted().collect(Collectors.joining(", ")) + ")");
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: server SYSTEM [--port N] [--registry URL]");
    System.err.println("       client SYSTEM --target HOST:PORT [--registry URL] --cell SPEC... [--jvm-warmup MS]"
        + " [--hlog-dir DIR]");
    System.exit(2);
  }

  /** The options after the role and the system name. */
  record Options(String host, int port, String target, String registry, List<CellSpec> cells, String hlogDir,
      boolean handshake, long jvmWarmupMillis, int jvmWarmupRounds) {

    static Options parse(String[] args) {
      String host = "127.0.0.1";
      int port = 0;
      String target = null;
      String registry = null;
      String hlogDir = null;
      boolean handshake = true;
      long jvmWarmup = 0;
      int jvmWarmupRounds = 1;
      List<CellSpec> cells = new ArrayList<>();
      for (int i = 2; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--host" -> host = value(args, ++i, a);
          case "--port" -> port = Integer.parseInt(value(args, ++i, a));
          case "--target" -> target = value(args, ++i, a);
          case "--registry" -> registry = value(args, ++i, a);
          case "--cell" -> cells.add(CellSpec.parse(value(args, ++i, a)));
          case "--hlog-dir" -> hlogDir = value(args, ++i, a);
          case "--no-handshake" -> handshake = false;
          case "--jvm-warmup" -> jvmWarmup = Long.parseLong(value(args, ++i, a));
          case "--jvm-warmup-rounds" -> jvmWarmupRounds = Integer.parseInt(value(args, ++i, a));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      return new Options(host, port, target, registry, List.copyOf(cells), hlogDir, handshake, jvmWarmup,
          jvmWarmupRounds);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }
}
