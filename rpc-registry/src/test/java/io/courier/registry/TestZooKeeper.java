package io.courier.registry;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-process ZooKeeper for each test (curator-test's TestingServer on a free port) and what the test opened against
 * it: the server starts before the test's own {@code @BeforeEach} methods; after the test, what was handed to {@link
 * #closeAfter} is closed in reverse order, then the server.
 *
 * <pre>{@code
 * @RegisterExtension
 * final TestZooKeeper zookeeper = new TestZooKeeper();
 * }</pre>
 */
public final class TestZooKeeper implements BeforeEachCallback, AfterEachCallback {

  private final Map<String, String> startProperties = new LinkedHashMap<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private TestingServer server;

  /** Sets a system property while the server starts (ZooKeeper reads some settings from them then), then clears it. */
  public TestZooKeeper withStartProperty(String key, String value) {
    startProperties.put(key, value);
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    startProperties.forEach(System::setProperty);
    try {
      server = new TestingServer();
    } finally {
      startProperties.keySet().forEach(System::clearProperty);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<AutoCloseable> toClose = new ArrayList<>(resources);
    resources.clear();
    Collections.reverse(toClose);
    try {
      for (AutoCloseable c : toClose) {
        c.close();
      }
    } finally {
      server.close();
    }
  }

  /** Closes {@code resource} after the test, before what was handed over earlier, and before the server. */
  public <T extends AutoCloseable> T closeAfter(T resource) {
    resources.add(resource);
    return resource;
  }

  /** {@code 127.0.0.1:<port>}. */
  public String getConnectString() {
    return server.getConnectString();
  }

  public int getPort() {
    return server.getPort();
  }

  /** Stops the server, keeping its port and data, as an outage would. */
  public void stop() throws Exception {
    server.stop();
  }

  /** Starts a stopped server again on its port with its data (sessions still open survive). */
  public void restart() throws Exception {
    server.restart();
  }

  /** Replaces the server by a new one on the same port with the empty data directory {@code data}: a wiped ensemble. */
  public void replaceWithAnEmptyOne(File data) throws Exception {
    int port = server.getPort();
    server.close();
    server = new TestingServer(port, data);
  }

  /** The server, for what the methods above do not cover. */
  public TestingServer server() {
    return server;
  }
}
