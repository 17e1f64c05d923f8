package io.courier.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command lines of child JVMs so that every system gets the same JDK (the harness's own), the same
 * heap ({@code -Xms} = {@code -Xmx}), the same collector and the same flags, and so that clients and servers run
 * on different cores when {@code taskset} is there to pin them.
 */
final class JvmLauncher {

  /**
   * Extra flags for every child JVM, for profiling (not for measured runs): whitespace-separated, with
   * {@code {role}} (server or client), {@code {system}} and {@code {pid}} (the harness's process id) replaced, e.g.:
   * <pre>{@code
   * COURIER_BENCH_JVM_ARGS='-agentpath:/tmp/libasyncProfiler.so=start,event=cpu,file=/tmp/{system}-{role}.html'
   * }</pre>
   */
  static final String EXTRA_FLAGS_VARIABLE = "COURIER_BENCH_JVM_ARGS";

  private final String java;
  private final List<String> flags;
  private final String clientCpus;
  private final String serverCpus;

  JvmLauncher(String heap, boolean pin) {
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.flags = List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
        "-Dfile.encoding=UTF-8", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    int cores = Runtime.getRuntime().availableProcessors();
    boolean canPin = pin && cores >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
    if (canPin) {
      int half = cores / 2;
      this.clientCpus = range(0, half);
      this.serverCpus = range(half, cores);
    } else {
      this.clientCpus = null;
      this.serverCpus = null;
    }
  }

  private static String range(int from, int to) {
    return to - from == 1 ? String.valueOf(from) : from + "-" + (to - 1);
  }

  List<String> server(Path jar, String system, List<String> args) {
    return command(serverCpus, jar, "server", system, args);
  }

  List<String> client(Path jar, String system, List<String> args) {
    return command(clientCpus, jar, "client", system, args);
  }

  private List<String> command(String cpus, Path jar, String role, String system, List<String> args) {
    List<String> cmd = new ArrayList<>();
    if (cpus != null) {
      cmd.addAll(List.of("/usr/bin/taskset", "-c", cpus));
    }
    cmd.add(java);
    cmd.addAll(flags);
    cmd.addAll(extraFlags(System.getenv(EXTRA_FLAGS_VARIABLE), role, system));
    cmd.addAll(List.of("-jar", jar.toString(), role, system));
    cmd.addAll(args);
    return cmd;
  }

  static List<String> extraFlags(String value, String role, String system) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    String pid = String.valueOf(ProcessHandle.current().pid());
    List<String> out = new ArrayList<>();
    for (String flag : value.trim().split("\\s+")) {
      out.add(flag.replace("{role}", role).replace("{system}", system).replace("{pid}", pid));
    }
    return out;
  }

  /** How the children are pinned, for the report. */
  String pinning() {
    return clientCpus == null ? "not pinned" : "client on CPU " + clientCpus + ", server on CPU " + serverCpus
        + " (taskset)";
  }

  List<String> flags() {
    return flags;
  }

  String java() {
    return java;
  }
}
