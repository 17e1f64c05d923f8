package io.courier.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.registry.zookeeper.ZooKeeperRegistry;
import io.courier.testing.Polling;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * No thread a registry started outlives its {@code close()}: a leftover thread, daemon or not, keeps a JVM (or
 * {@code mvn exec:java}, which waits for them) from ending, and a leaking one is a leak in a long-lived process.
 */
class RegistryThreadsTest {

  /** Threads of the JVM or the test runner that may appear at any time. */
  private static final Set<String> UNRELATED = Set.of("Attach Listener", "process reaper", "Common-Cleaner",
      "surefire-forkedjvm-ping-30s", "surefire-forkedjvm-command-thread");

  @Test
  void zookeeperLeavesNoThreadBehind() throws Exception {
    try (TestingServer zookeeper = new TestingServer()) {
      // the TestingServer's own workers start with the first connection: not the registry's
      try (Registry warmUp = Registries.connect("zookeeper://" + zookeeper.getConnectString())) {
        warmUp.subscribe("test.Threads", providers -> { });
      }
      assertNoThreadOutlives(() -> Registries.connect("zookeeper://" + zookeeper.getConnectString()));
      assertNoThreadOutlives(() -> ZooKeeperRegistry.builder(zookeeper.getConnectString()).build());
    }
  }

  @Test
  void embeddedLeavesNoThreadBehind() throws Exception {
    assertNoThreadOutlives(() -> Registries.connect("embedded"));
  }

  @Test
  void staticLeavesNoThreadBehind() throws Exception {
    assertNoThreadOutlives(() -> Registries.connect("static://127.0.0.1:7070"));
  }

  private static void assertNoThreadOutlives(Supplier<Registry> connect) throws Exception {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    try (Registry registry = connect.get()) {
      Registry.Subscription subscription = registry.subscribe("test.Threads", providers -> { });
      registry.register(ServiceInstance.builder("test.Threads").host("127.0.0.1").port("tcp", 7070).build());
      subscription.close();
      registry.subscribe("test.Threads", providers -> { });
    }
    try {
      Polling.await("the registry's threads to end", Duration.ofSeconds(10), () -> newThreads(before).isEmpty());
    } catch (AssertionError timedOut) {
      assertThat(newThreads(before)).as("threads started by the registry and alive 10 s after close()").isEmpty();
    }
  }

  private static List<String> newThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .filter(t -> !UNRELATED.contains(t.getName()) && !t.getName().startsWith("ForkJoinPool.commonPool"))
        .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
        .sorted().collect(Collectors.toList());
  }
}
