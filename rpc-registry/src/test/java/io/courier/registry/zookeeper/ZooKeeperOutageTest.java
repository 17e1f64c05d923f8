package io.courier.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.registry.ServiceInstance;
import io.courier.registry.TestZooKeeper;
import io.courier.testing.Polling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What docs/registry.md promises while ZooKeeper is away ("When ZooKeeper is unreachable", "Who closes what",
 * "Providers") and no other test checked: {@code register}, {@code unregister} and {@code subscribe} neither fail
 * nor wait longer than the connect timeout while ZooKeeper is down, and what they asked for takes effect once it is
 * back (a registration is created, a withdrawal deletes the node although the session lives on, a new subscription
 * gets its first list); {@code close()} during an outage returns within a bound and leaves no thread behind; a
 * session Curator gives up during an outage is replaced when ZooKeeper returns, its node taken over at once, and
 * reported in one {@code (LOST)} line.
 *
 * <p>ZooKeeper is curator-test's TestingServer on a free port, stopped and restarted on the same port with the same
 * data. Each test waits until the registry has taken the outage in (its {@code toString()} says "unreachable") before
 * acting, since register, unregister, subscribe and close decide on that.
 */
@Timeout(60)
class ZooKeeperOutageTest {

  /** Short, so that what may wait for it keeps each test to seconds; the time bounds below are in its terms. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Outlives every outage below: no session ends unless a test ends it. */
  private static final Duration LONG_SESSION = Duration.ofSeconds(20);
  private static final AtomicInteger IDS = new AtomicInteger();

  @RegisterExtension
  final TestZooKeeper zookeeper = new TestZooKeeper();

  private final String service = "test.Outage" + IDS.incrementAndGet();

  /** "Registrations made meanwhile are created when it is back" (with their parents, by Curator). */
  @Test
  void aRegistrationMadeWhileZooKeeperIsDownReturnsWithinTheConnectTimeoutAndIsCreatedWhenItIsBack()
      throws Exception {
    ZooKeeperRegistry provider = registry(LONG_SESSION);
    ZooKeeperRegistry consumer = registry(LONG_SESSION);
    Recorder seen = new Recorder();
    consumer.subscribe(service, seen);
    long session = sessionId(provider);

    zookeeper.stop();
    awaitOutageNoticed(provider);
    awaitOutageNoticed(consumer);
    assertThat(provider.isConnected()).isFalse();
    ServiceInstance orders = instance("10.0.0.7");
    Duration took = timed(() -> provider.register(orders));
    assertThat(took).as("register while ZooKeeper is down").isLessThan(CONNECT_TIMEOUT.plusSeconds(1));
    assertThat(seen.lists).as("nothing delivered while ZooKeeper is down").containsExactly(List.of());

    zookeeper.restart();
    Polling.await("the consumer to see the registration made during the outage",
        () -> seen.last().equals(List.of(orders)));
    Stat stat = consumer.curator().checkExists().forPath(provider.path(orders));
    assertThat(stat).isNotNull();
    assertThat(stat.getEphemeralOwner()).as("ephemeral, in the provider's session").isEqualTo(session);
    assertThat(provider.isConnected()).isTrue();
  }

  /**
   * "Unregistering happens in the background": unregister returns before a delete could even give up, consumers keep
   * the provider while ZooKeeper is away, and once it is back the node is deleted — by the withdrawal, since the
   * provider's session (and so the ephemeral node, if nobody deleted it) lives on through the outage.
   */
  @Test
  void unregisterWhileZooKeeperIsDownReturnsAtOnceAndTheNodeIsDeletedWhenItIsBackThoughTheSessionLivesOn()
      throws Exception {
    ZooKeeperRegistry provider = registry(LONG_SESSION);
    ZooKeeperRegistry consumer = registry(LONG_SESSION);
    Recorder seen = new Recorder();
    consumer.subscribe(service, seen);
    ServiceInstance leaving = instance("10.0.0.7");
    ServiceInstance staying = instance("10.0.0.8");
    provider.register(leaving);
    provider.register(staying);
    Polling.await("both providers", () -> seen.last().size() == 2);
    long session = sessionId(provider);

    zookeeper.stop();
    // the client's own view, which the registry's unreachable flag follows late: unregister asks both
    Polling.await("the provider's client to lose its connection", () -> !provider.isConnected());
    Duration took = timed(() -> provider.unregister(leaving));
    // a delete in the foreground would wait for the connection for the connect timeout before failing
    assertThat(took).as("unregister while ZooKeeper is down").isLessThan(CONNECT_TIMEOUT);
    assertThat(seen.last()).as("the consumer keeps the last known providers").containsExactlyInAnyOrder(leaving,
        staying);

    zookeeper.restart();
    Polling.await("the consumer to see the withdrawn provider go", () -> seen.last().equals(List.of(staying)));
    assertThat(consumer.curator().checkExists().forPath(provider.path(leaving))).isNull();
    assertThat(sessionId(provider)).as("deleted by the withdrawal, not by the end of the session").isEqualTo(session);
  }

  /**
   * A registry closed during an outage does not hang: it does not withdraw its registrations one by one (each would
   * wait the connect timeout), it waits a bounded time for a withdrawal still under way, and no thread of the
   * registry, of Curator or of ZooKeeper's client outlives {@code close()} ("Who closes what").
   */
  @Test
  void closingWhileZooKeeperIsDownEndsWithinABoundAndLeavesNoThreadBehind() throws Exception {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    ZooKeeperRegistry provider = registry(LONG_SESSION);
    provider.subscribe(service, new Recorder());
    List<ServiceInstance> instances = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      ServiceInstance instance = instance("10.0.0." + i);
      provider.register(instance);
      instances.add(instance);
    }

    zookeeper.stop();
    awaitOutageNoticed(provider);
    provider.unregister(instances.get(0)); // its withdrawal is still trying in the background when close() runs
    Duration took = timed(provider::close);
    // the withdrawal under way is waited for at most a connect timeout, then the ZooKeeper client is closed; deleting
    // the seven other nodes one by one would take at least a connect timeout each
    assertThat(took).as("close() while ZooKeeper is down").isLessThan(CONNECT_TIMEOUT.multipliedBy(4));
    try {
      Polling.await("the registry's threads to end", () -> registryThreads(before).isEmpty());
    } catch (AssertionError timedOut) {
      assertThat(registryThreads(before)).as("threads of the registry alive 10 s after close()").isEmpty();
    }
  }

  /** "New subscriptions are accepted; their first list arrives when ZooKeeper does." */
  @Test
  void aSubscriptionMadeWhileZooKeeperIsDownIsAcceptedAndGetsItsFirstListWhenItIsBack() throws Exception {
    ZooKeeperRegistry provider = registry(LONG_SESSION);
    ServiceInstance orders = instance("10.0.0.7");
    provider.register(orders);
    ZooKeeperRegistry consumer = registry(LONG_SESSION);

    zookeeper.stop();
    awaitOutageNoticed(consumer);
    Recorder seen = new Recorder();
    Duration took = timed(() -> consumer.subscribe(service, seen));
    assertThat(took).as("subscribe while ZooKeeper is down: at once").isLessThan(CONNECT_TIMEOUT);
    assertThat(seen.lists).as("no list is made up while ZooKeeper is down").isEmpty();

    zookeeper.restart();
    Polling.await("the first list", () -> !seen.lists.isEmpty());
    assertThat(seen.lists.get(0)).as("the first list is ZooKeeper's, with the provider").containsExactly(orders);
  }

  /**
   * "A session given up by the client" through an outage: Curator ends the session after the session timeout out of
   * touch by injecting an expiry into its ZooKeeper client, which is what KillSession does here (so the test need not
   * wait a session timeout); the restarted ensemble restores the old session, and its node, for 20 s. The registry
   * reports the loss in one {@code (LOST)} line, and once ZooKeeper is back its registration belongs to the new
   * session well before the old one would time out there, and consumers see the provider.
   */
  @Test
  void aSessionGivenUpDuringAnOutageIsReplacedWhenZooKeeperIsBackItsNodeTakenOverAtOnceAndReportedOnce()
      throws Exception {
    ZooKeeperRegistry provider = registry(LONG_SESSION);
    ZooKeeperRegistry consumer = registry(LONG_SESSION);
    Recorder seen = new Recorder();
    consumer.subscribe(service, seen);
    ServiceInstance orders = instance("10.0.0.7");
    provider.register(orders);
    Polling.await("the provider", () -> seen.last().equals(List.of(orders)));
    String path = provider.path(orders);
    // taken while connected: asked for while disconnected, Curator may answer with a connection loss instead
    ZooKeeper oldClient = provider.curator().getZookeeperClient().getZooKeeper();
    long before = oldClient.getSessionId();
    AtomicBoolean lost = new AtomicBoolean();
    provider.curator().getConnectionStateListenable().addListener((c, state) -> {
      if (state == ConnectionState.LOST) {
        lost.set(true);
      }
    });
    String lostLine = "ZooKeeper session for " + zookeeper.getConnectString() + " ended after";

    try (ErrCapture err = new ErrCapture()) {
      zookeeper.stop();
      awaitOutageNoticed(provider);
      KillSession.kill(oldClient);
      Polling.await("Curator to give the session up", lost::get);
      Polling.await("the registry to report it", () -> err.text().contains(lostLine));
      assertThat(seen.last()).as("the consumer keeps the provider meanwhile").containsExactly(orders);

      zookeeper.restart();
      Polling.await("the node to belong to the new session well before the old one times out", Duration.ofSeconds(12),
          () -> {
            try {
              Stat stat = consumer.curator().checkExists().forPath(path);
              long now = sessionId(provider);
              return stat != null && now != before && stat.getEphemeralOwner() == now;
            } catch (Exception e) {
              return false; // a client between sessions
            }
          });
      // the takeover may show the consumer the node going and coming back: its list must end with the provider
      Polling.await("the consumer, connected again, to list the provider",
          () -> consumer.isConnected() && seen.last().equals(List.of(orders)));
      assertThat(err.text().lines().filter(line -> line.contains(lostLine)).toList())
          .as("lines reporting the session's end").hasSize(1)
          .allSatisfy(line -> assertThat(line).contains(" ms out of touch (LOST)"));
    }
  }

  private ServiceInstance instance(String host) {
    return ServiceInstance.builder(service).host(host).port("tcp", 7070).serializers(List.of("kryo")).build();
  }

  private ZooKeeperRegistry registry(Duration sessionTimeout) {
    ZooKeeperRegistry registry = ZooKeeperRegistry.builder(zookeeper.getConnectString())
        .connectTimeout(CONNECT_TIMEOUT).sessionTimeout(sessionTimeout).build();
    zookeeper.closeAfter(registry);
    return registry;
  }

  private static long sessionId(ZooKeeperRegistry registry) throws Exception {
    return registry.curator().getZookeeperClient().getZooKeeper().getSessionId();
  }

  /**
   * Waits until the registry has taken the loss of its connection in (ZooKeeperRegistry's {@code unreachable} flag,
   * shown by its {@code toString()}), which register, unregister, subscribe and close consult.
   */
  private static void awaitOutageNoticed(ZooKeeperRegistry registry) {
    Polling.await("the registry to notice that ZooKeeper is down",
        () -> registry.toString().contains(", unreachable"));
  }

  /** How long {@code action} took. */
  private static Duration timed(Action action) throws Exception {
    long start = System.nanoTime();
    action.run();
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Live threads started since {@code before} that a ZooKeeper registry runs: its own, Curator's, ZooKeeper's. */
  private static List<String> registryThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .map(Thread::getName)
        .filter(name -> name.startsWith("courier-zookeeper") || name.contains("-SendThread(")
            || name.contains("-EventThread"))
        .sorted().toList();
  }

  /** A step whose duration is measured. */
  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }
}
