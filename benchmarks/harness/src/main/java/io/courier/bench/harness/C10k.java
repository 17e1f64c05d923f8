package io.courier.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C10K run: one Courier TCP + kryo server JVM with a small heap ({@code -Xms256m -Xmx256m} by default, and
 * {@code -XX:+ExitOnOutOfMemoryError}, so running out of heap ends the run) and client JVMs that open 10,000
 * connections to it between them, with Courier's own client ({@code C10kClient} in the courier system jar: ordinary
 * {@code RpcClient}s with 64 connections each). It passes when every connection is established at once (counted by
 * the kernel, {@code ss}), a call over every one of them is answered, and the server is still up; it prints the
 * server's heap after a full GC with all connections open, its resident memory and the timings.
 *
 * <pre>
 * java -cp benchmarks/harness/target/courier-bench-harness.jar io.courier.bench.harness.C10k \
 *      [--connections 10000] [--client-jvms 2] [--server-heap 256m] [--systems-dir DIR] [--out DIR]
 * </pre>
 *
 * Each JVM needs a file descriptor per connection: the server's {@code ulimit -n} must exceed the connection count
 * (the JVM raises its soft limit to the hard limit by itself). Not part of {@code mvn verify}: it takes about a
 * minute and 10,000 sockets; {@code C10kTest} in the TCP transport serves 1,000 connections in the normal suite.
 */
public final class C10k {

  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private C10k() {}

  public static void main(String[] args) throws Exception {
    int connections = 10_000;
    int clientJvms = 2;
    String serverHeap = "256m";
    Path systemsDir = null;
    Path out = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--connections" -> connections = Integer.parseInt(args[i + 1]);
        case "--client-jvms" -> clientJvms = Integer.parseInt(args[i + 1]);
        case "--server-heap" -> serverHeap = args[i + 1];
        case "--systems-dir" -> systemsDir = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (expected: --connections N,"
            + " --client-jvms N, --server-heap SIZE, --systems-dir DIR, --out DIR)");
      }
    }
    Path jar = SystemsDir.locate(systemsDir).resolve("courier").resolve("target").resolve("bench-system.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; build it: mvn -B -q -pl benchmarks/harness -am -DskipTests"
          + " package");
    }
    if (out == null) {
      out = Path.of("benchmark-results", "c10k-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern(
          "yyyyMMdd-HHmmss")));
    }
    Files.createDirectories(out);
    System.exit(run(jar, connections, clientJvms, serverHeap, out) ? 0 : 1);
  }

  static boolean run(Path jar, int connections, int clientJvms, String serverHeap, Path out) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    System.out.printf("C10K: %,d connections from %d client JVMs to one Courier TCP + kryo server (-Xmx%s)%n",
        connections, clientJvms, serverHeap);
    List<ChildProcess> clients = new ArrayList<>();
    try (ChildProcess server = ChildProcess.start("server", List.of(java, "-Xms" + serverHeap, "-Xmx" + serverHeap,
        "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-jar",
        jar.toString(), "server", "courier-tcp-kryo", "--port", "0"), out.resolve("server.log"))) {
      String ready = server.awaitLine("READY ", deadline(Duration.ofMinutes(1)), "the server to start");
      int port = Integer.parseInt(ready.substring("READY ".length()).trim());
      long start = System.nanoTime();
      int share = (connections + clientJvms - 1) / clientJvms;
      for (int c = 0, left = connections; c < clientJvms && left > 0; c++, left -= share) {
        clients.add(ChildProcess.start("client-" + c, List.of(java, "-Xms1g", "-Xmx1g", "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", jar.toString(),
            "io.courier.bench.system.courier.C10kClient", "127.0.0.1:" + port, String.valueOf(Math.min(share, left))),
            out.resolve("client-" + c + ".log")));
      }
      long openFailed = 0;
      for (ChildProcess client : clients) {
        String open = client.awaitLine("OPEN ", deadline(Duration.ofMinutes(5)), "the client to connect");
        System.out.println("  " + client.name() + ": " + open);
        openFailed += field(open, "failed");
      }
      int established = -1;
      long until = deadline(Duration.ofMinutes(2));
      while (System.nanoTime() - until < 0) {
        established = establishedTo(port);
        if (established >= connections) {
          break;
        }
        Thread.sleep(200);
      }
      long connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.printf("  established connections to port %d (ss): %,d after %,d ms%n", port, established,
          connectMillis);
      long calls = 0;
      long failed = 0;
      long callStart = System.nanoTime();
      for (ChildProcess client : clients) {
        client.send("CALL");
      }
      for (ChildProcess client : clients) {
        String called = client.awaitLine("CALLED ", deadline(Duration.ofMinutes(5)), "a call over every connection");
        System.out.println("  " + client.name() + ": " + called);
        calls += field(called, "calls");
        failed += field(called, "failed");
      }
      long callMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - callStart);
      int stillOpen = establishedTo(port);
      String before = jcmd(java, server.pid(), "GC.heap_info");
      jcmd(java, server.pid(), "GC.run");
      String after = jcmd(java, server.pid(), "GC.heap_info");
      long rssKb = rssKb(server.pid());
      long[] heapBefore = heap(before);
      long[] heapAfter = heap(after);
      Files.writeString(out.resolve("server-heap.txt"), before + "\n--- after GC.run ---\n" + after,
          StandardCharsets.UTF_8);
      boolean passed = established >= connections && stillOpen >= connections && calls == connections
          && failed == 0 && openFailed == 0 && heapAfter[1] >= 0;
      System.out.printf("  a call over every connection: %,d calls, %,d failed, in %,d ms; still established: %,d%n",
          calls, failed, callMillis, stillOpen);
      System.out.printf("  server heap (-Xmx%s): %s used of %s committed with every connection open, %s after a full"
          + " GC; resident memory %s%n", serverHeap, mib(heapBefore[1]), mib(heapBefore[0]), mib(heapAfter[1]),
          mib(rssKb));
      System.out.println(passed ? "C10K PASSED" : "C10K FAILED");
      System.out.println("logs: " + out.toAbsolutePath());
      return passed;
    } finally {
      for (ChildProcess client : clients) {
        client.send("STOP");
        client.stop(Duration.ofSeconds(10));
      }
    }
  }

  private static long deadline(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private static long field(String line, String name) {
    Matcher m = Pattern.compile(name + "=(\\d+)").matcher(line);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Established TCP connections whose local port is {@code port}, as the kernel counts them; -1 without ss. */
  static int establishedTo(int port) throws IOException, InterruptedException {
    Process ss = new ProcessBuilder("ss", "-Htn", "state", "established", "( sport = :" + port + " )")
        .redirectErrorStream(true).start();
    int lines = 0;
    for (String line : new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines++;
      }
    }
    return ss.waitFor() == 0 ? lines : -1;
  }

  private static String jcmd(String java, long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(java).resolveSibling("jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return text;
  }

  /** {committed, used} of the Java heap in KiB from {@code GC.heap_info}, or -1s. */
  private static long[] heap(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    return m.find() ? new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))} : new long[] {-1, -1};
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static String mib(long kb) {
    return kb < 0 ? "?" : String.format("%.1f MiB", kb / 1024.0);
  }
}
