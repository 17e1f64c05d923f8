package io.courier.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM speaking the line protocol of {@code ChildMain}: its standard output is read line by line on a
 * thread of its own, its standard error goes to a log file, and lines are sent to its standard input.
 *
 * <p>Every child is registered until it has exited, and a JVM shutdown hook destroys whatever is still
 * registered, so no child outlives the harness. Closing a child asks it to stop, then destroys it, then destroys
 * it forcibly, each step with a deadline. A child also exits by itself when its standard input closes.
 */
final class ChildProcess implements AutoCloseable {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final String EOF = "\u0000EOF";

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::destroyAll, "bench-children-reaper"));
  }

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  /** What the JVM printed on its way out (-XX:+ExitOnOutOfMemoryError writes to standard output), or null. */
  private volatile String jvmExit;

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::pump, "bench-read-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code command}, its standard error appended to {@code log}. */
  static ChildProcess start(String name, List<String> command, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
    return new ChildProcess(name, process);
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("Terminating due to ")) {
          jvmExit = line;
        }
        lines.add(line);
      }
    } catch (IOException e) {
      // the process went away; EOF below says so
    } finally {
      lines.add(EOF);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  /**
   * The next line of output, waiting at most until {@code deadlineNanos} ({@link System#nanoTime()} based).
   *
   * @throws ChildFailedException if the child exits, reports {@code FAILED}, or the deadline passes
   */
  String nextLine(long deadlineNanos, String waitingFor) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    String line = left <= 0 ? lines.poll() : lines.poll(left, TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new ChildFailedException(name + " did not answer in time while " + waitingFor);
    }
    if (line.equals(EOF)) {
      lines.add(EOF);
      throw new ChildFailedException(name + " exited" + exitCode() + " while " + waitingFor);
    }
    if (line.startsWith("FAILED ")) {
      throw new ChildFailedException(name + " failed while " + waitingFor + ": " + line.substring(7));
    }
    return line;
  }

  /** The next line starting with {@code prefix}, skipping others, by the deadline. */
  String awaitLine(String prefix, long deadlineNanos, String waitingFor) throws InterruptedException {
    while (true) {
      String line = nextLine(deadlineNanos, waitingFor);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  private String exitCode() {
    try {
      String status = process.waitFor(1, TimeUnit.SECONDS) ? " with status " + process.exitValue() : "";
      String last = jvmExit;
      return last == null ? status : status + " (" + last + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Sends one line. */
  void send(String line) {
    try {
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    } catch (IOException e) {
      throw new ChildFailedException(name + " no longer reads its input (" + e.getMessage() + "): it exited"
          + exitCode());
    }
  }

  /** Asks the child to stop, then destroys it if it has not exited within {@code grace}. */
  void stop(Duration grace) {
    try {
      if (process.isAlive()) {
        try {
          send("STOP");
          stdin.close();
        } catch (IOException | ChildFailedException e) {
          // already gone
        }
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroy();
          if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(3, TimeUnit.SECONDS);
          }
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  private static void destroyAll() {
    for (Process p : LIVE) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /** A child that died, failed or did not answer in time. */
  static final class ChildFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChildFailedException(String message) {
      super(message);
    }
  }
}
