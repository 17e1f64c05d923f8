package io.courier.chaos.provider;

import io.courier.common.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link ProviderMain} in a JVM of its own, started from this JVM's class path, so that {@link #kill()} is a real
 * SIGKILL: the kernel closes its sockets, nothing in it runs again, and its ZooKeeper node stays until its session
 * expires.
 *
 * <pre>{@code
 * try (ProviderProcess p1 = ProviderProcess.start("p1", "zookeeper://" + zk.getConnectString(), 0)) {
 *   ...
 *   p1.kill();                                 // kill -9
 *   p1.terminate(Duration.ofSeconds(20));      // or SIGTERM: graceful shutdown, SIGKILL if it takes too long
 * }
 * }</pre>
 *
 * <p>No child outlives its parent: each is killed by {@link #close()}, by a shutdown hook of this JVM if a test forgot
 * it, and — if this JVM is itself killed — by the child, which exits when its standard input (a pipe from this
 * process) ends. Output goes to {@code target/chaos-logs/<name>-<pid>.log}; a Netty leak report in it is noticed
 * ({@link #leakReports()}).
 */
public final class ProviderProcess implements AutoCloseable {

  /** How long {@link #start} waits for a provider to serve and register: a JVM start on a loaded machine. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final Pattern READY_LINE =
      Pattern.compile(Pattern.quote(ProviderMain.READY) + " port=(\\d+) pid=(\\d+)");
  private static final int KEPT_LINES = 40;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
        "chaos-provider-reaper"));
  }

  private final String name;
  private final Process process;
  private final PrintWriter commands;
  private final CompletableFuture<Integer> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> closedGracefully = new CompletableFuture<>();
  private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();
  private final ArrayDeque<String> lastLines = new ArrayDeque<>(); // guarded by itself
  private final List<String> leaks = new ArrayList<>(); // guarded by itself
  private final Path log;
  private volatile long killedAtNanos;

  private ProviderProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    OutputStream stdin = process.getOutputStream();
    this.commands = new PrintWriter(stdin, true, StandardCharsets.UTF_8);
  }

  /**
   * Starts provider {@code name} registering in {@code registry} on {@code port} (0 for a free one) and waits until
   * it serves.
   *
   * @throws IllegalStateException if it exits or is not ready within {@link #START_TIMEOUT}; its output is in the
   *     message
   */
  public static ProviderProcess start(String name, String registry, int port, String... extraArguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small and frugal: the machine has two cores, shared with the test JVM and other builds.
    command.addAll(List.of("-Xmx128m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-XX:ActiveProcessorCount=1", "-Dio.netty.leakDetection.level=paranoid",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.log.org.apache.zookeeper=error",
        "-Dorg.slf4j.simpleLogger.log.org.apache.curator=error",
        "-cp", classPath(), ProviderMain.class.getName(),
        "name=" + name, "registry=" + registry, "port=" + port));
    command.addAll(List.of(extraArguments));
    Path logDir = Path.of(System.getProperty("courier.chaos.logDir", "target/chaos-logs"));
    Process process;
    try {
      Files.createDirectories(logDir);
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start provider " + name + ": " + e.getMessage(), e);
    }
    LIVE.add(process);
    ProviderProcess provider = new ProviderProcess(name, process, logDir.resolve(name + "-" + process.pid() + ".log"));
    provider.pumpOutput();
    process.onExit().thenRun(() -> {
      LIVE.remove(process);
      provider.ready.completeExceptionally(new IllegalStateException("provider " + name + " exited with "
          + process.exitValue() + " before it was ready; its last output:\n" + provider.lastOutput()));
    });
    try {
      provider.ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      provider.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting provider " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      provider.close();
      throw new IllegalStateException("provider " + name + " did not start within " + START_TIMEOUT.toSeconds()
          + " s: " + (e.getCause() != null ? e.getCause().getMessage() : "") + "\n" + provider.lastOutput(), e);
    }
    return provider;
  }

  /**
   * The class path of the running tests: Surefire hands its forked JVM a one-entry manifest jar as
   * {@code java.class.path} and the real path as {@code surefire.test.class.path}.
   */
  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  private void pumpOutput() {
    Thread pump = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8)); var file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        String line;
        while ((line = out.readLine()) != null) {
          file.write(line);
          file.newLine();
          file.flush();
          synchronized (lastLines) {
            if (lastLines.size() == KEPT_LINES) {
              lastLines.removeFirst();
            }
            lastLines.addLast(line);
          }
          if (line.contains("LEAK:")) {
            synchronized (leaks) {
              leaks.add(line);
            }
          }
          Matcher m = READY_LINE.matcher(line);
          if (m.find()) {
            ready.complete(Integer.parseInt(m.group(1)));
          } else if (line.startsWith(ProviderMain.CLOSED)) {
            closedGracefully.complete(null);
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      } finally {
        outputEnded.complete(null);
      }
    }, "chaos-provider-output-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  /** The TCP port it serves on. */
  public int port() {
    return ready.join();
  }

  /** Where callers reach it: {@code 127.0.0.1:<port>}. */
  public Endpoint endpoint() {
    return new Endpoint("127.0.0.1", port());
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** When {@link #kill()} sent the signal ({@code System.nanoTime()}), or 0. */
  public long killedAtNanos() {
    return killedAtNanos;
  }

  /** Every call from now on takes {@code millis} longer. */
  public void injectLatency(long millis) {
    commands.println("latency " + millis);
  }

  /** kill -9, and wait (up to 10 s) until the process is gone. */
  public void kill() {
    killedAtNanos = System.nanoTime();
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  /**
   * SIGTERM: the provider deregisters, drains and closes, as in a rolling restart. Waits up to {@code timeout} for
   * that, then kills it.
   *
   * @return whether it shut down gracefully (said so, and exited) within {@code timeout}
   */
  public boolean terminate(Duration timeout) {
    // Through the handle: Process.destroy() would also close our ends of its pipes, and its last words with them.
    process.toHandle().destroy();
    boolean exited = awaitExit(timeout);
    if (!exited) {
      kill();
    }
    try {
      outputEnded.get(5, TimeUnit.SECONDS); // the last lines it printed are read
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // judged on what was read
    }
    return exited && closedGracefully.isDone();
  }

  /** The exit status, once it has exited. */
  public int exitValue() {
    return process.exitValue();
  }

  private boolean awaitExit(Duration timeout) {
    try {
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (exited) {
        LIVE.remove(process);
      }
      return exited;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  /** Netty leak reports the provider printed. */
  public List<String> leakReports() {
    synchronized (leaks) {
      return List.copyOf(leaks);
    }
  }

  /** The last lines it printed, for failure messages. */
  public String lastOutput() {
    synchronized (lastLines) {
      return "  " + String.join("\n  ", lastLines) + "\n  (all of it: " + log.toAbsolutePath() + ")";
    }
  }

  /** Kills the provider if it still runs. */
  @Override
  public void close() {
    commands.close();
    if (process.isAlive()) {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(10));
    }
    LIVE.remove(process);
  }

  @Override
  public String toString() {
    return "provider " + name + " (pid " + process.pid() + (ready.isDone() && !ready.isCompletedExceptionally()
        ? ", port " + ready.join() : "") + (process.isAlive() ? "" : ", exited") + ")";
  }
}
