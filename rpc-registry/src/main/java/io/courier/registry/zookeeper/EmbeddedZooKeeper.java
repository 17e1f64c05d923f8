package io.courier.registry.zookeeper;

import io.courier.registry.RegistryException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone ZooKeeper server inside this JVM, on a free port of the loopback interface and a temporary data
 * directory, through ZooKeeper's own embedded API. For examples, demos and the benchmark, so they need no external
 * service; not for production. Closing it stops the server and deletes the directory.
 *
 * <pre>{@code
 * try (EmbeddedZooKeeper zookeeper = EmbeddedZooKeeper.start();
 *      Registry registry = Registries.connect("zookeeper://" + zookeeper.connectString())) {
 *   ...
 * }
 * }</pre>
 *
 * <p>The address {@code embedded} does the same in one step: {@code Registries.connect("embedded")} starts a server
 * that the returned registry stops when it closes. Note that ZooKeeper's embedded API sets two JVM-wide things: its
 * fatal-error handler logs instead of exiting, and its admin HTTP server is off.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
  /** How long {@link #start()} waits for the server. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);

  private final ZooKeeperServerEmbedded server;
  private final Path directory;
  private final int port;
  private boolean closed; // guarded by this

  private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, Path directory, int port) {
    this.server = server;
    this.directory = directory;
    this.port = port;
  }

  /** Starts a server, waiting up to {@link #DEFAULT_STARTUP_TIMEOUT}. */
  public static EmbeddedZooKeeper start() {
    return start(DEFAULT_STARTUP_TIMEOUT);
  }

  /**
   * Starts a server on a free loopback port with a new temporary directory.
   *
   * @throws RegistryException if it does not start within {@code startupTimeout}; nothing is left behind
   */
  public static EmbeddedZooKeeper start(Duration startupTimeout) {
    return start(0, startupTimeout);
  }

  /**
   * Starts a server on loopback port {@code port} (0 for a free one) with a new temporary directory. A fixed port lets
   * another process on this machine find it, as in the two-process Spring Boot example
   * ({@code embedded?port=2181}).
   *
   * @throws IllegalArgumentException if {@code port} is not 0..65535
   * @throws RegistryException if it does not start within {@code startupTimeout} (for example because the port is
   *     taken); nothing is left behind
   */
  public static EmbeddedZooKeeper start(int port, Duration startupTimeout) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    if (port != 0) {
      checkFree(port); // ZooKeeper itself would only give up after the startup timeout
    }
    ZooKeeperLogLevels.apply(); // the server logs about a hundred INFO lines while it starts
    Path directory;
    try {
      directory = Files.createTempDirectory("courier-zookeeper-");
    } catch (IOException e) {
      throw new RegistryException("cannot create a directory for the embedded ZooKeeper (check java.io.tmpdir)", e);
    }
    ZooKeeperServerEmbedded server = null;
    try {
      Properties config = new Properties();
      config.setProperty("dataDir", directory.resolve("data").toString());
      config.setProperty("clientPort", Integer.toString(port)); // 0: a free port, read back once bound
      config.setProperty("clientPortAddress", "127.0.0.1");
      config.setProperty("tickTime", "2000");
      config.setProperty("maxClientCnxns", "0"); // many clients from one address: a benchmark's
      config.setProperty("maxCnxns", "0"); // no global limit either (and no warning that none is set)
      config.setProperty("admin.enableServer", "false");
      config.setProperty("autopurge.purgeInterval", "0");
      server = ZooKeeperServerEmbedded.builder().baseDir(directory).configuration(config)
          .exitHandler(ExitHandler.LOG_ONLY).build();
      server.start(startupTimeout.toMillis());
      int bound = server.getClientPort();
      log.info("embedded ZooKeeper listening on 127.0.0.1:{} (data in {})", bound, directory);
      return new EmbeddedZooKeeper(server, directory, bound);
    } catch (Exception e) {
      if (server != null) {
        server.close();
      }
      deleteRecursively(directory);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new RegistryException("the embedded ZooKeeper did not start within " + startupTimeout.toMillis()
          + " ms: " + e + (port == 0 ? "" : " (is port " + port + " taken, by another ZooKeeper perhaps? Use"
          + " zookeeper://127.0.0.1:" + port + " to join it, or choose another port)"), e);
    }
  }

  private static void checkFree(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new RegistryException("the embedded ZooKeeper cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
          + " (is port " + port + " taken, by another ZooKeeper perhaps? Use zookeeper://127.0.0.1:" + port
          + " to join it, or choose another port)", e);
    }
  }

  /** {@code 127.0.0.1:<port>}, for {@code zookeeper://} addresses and Curator. */
  public String connectString() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The server's temporary directory; deleted on close. */
  public Path directory() {
    return directory;
  }

  /** Stops the server and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.close();
    deleteRecursively(directory);
  }

  private static void deleteRecursively(Path dir) {
    try {
      if (!Files.exists(dir)) {
        return;
      }
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      log.warn("could not delete the embedded ZooKeeper's directory {}: {}", dir, e.toString());
    }
  }
}
