package io.courier.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.registry.RegistryException;
import io.courier.registry.ServiceInstance;
import io.courier.registry.TestZooKeeper;
import io.courier.testing.Polling;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ZooKeeper registry against a real ZooKeeper (curator-test's TestingServer on a random port). */
class ZooKeeperRegistryTest {

  private static final AtomicInteger IDS = new AtomicInteger();

  @RegisterExtension
  final TestZooKeeper zookeeper = new TestZooKeeper();

  private final String service = "test.Orders" + IDS.incrementAndGet();

  @TempDir
  Path temp;

  @Test
  void registersDiscoversAndDeregisters() {
    ZooKeeperRegistry provider = registry();
    ZooKeeperRegistry consumer = registry();
    Recorder seen = new Recorder();
    consumer.subscribe(service, seen);
    assertThat(seen.lists).containsExactly(List.of()); // the first list comes before subscribe returns

    ServiceInstance orders = instance("10.0.0.7", 7070);
    provider.register(orders);
    Polling.await("the consumer to see the provider within a second", Duration.ofSeconds(1),
        () -> seen.last().equals(List.of(orders)));

    provider.unregister(orders);
    Polling.await("the consumer to see it go within a second", Duration.ofSeconds(1), () -> seen.last().isEmpty());

    provider.register(orders);
    Polling.await("it back", () -> seen.last().size() == 1);
    provider.close(); // closing withdraws every registration
    Polling.await("the consumer to see the closed registry's provider go", () -> seen.last().isEmpty());
  }

  @Test
  void nodesFollowTheDocumentedLayoutAndHoldJsonWithoutClassNames() throws Exception {
    ZooKeeperRegistry registry = registry();
    ServiceInstance orders = ServiceInstance.builder(service).id("orders-1").version("2").host("10.0.0.7")
        .port("tcp", 7070).serializers(List.of("kryo")).weight(50).metadata("zone", "eu-1")
        .startTime(Instant.parse("2026-05-01T12:00:00Z")).build();
    registry.register(orders);
    ServiceInstance consumer = ServiceInstance.builder(service).id("consumer-1")
        .role(ServiceInstance.Role.CONSUMER).host("10.0.0.9").build();
    registry.register(consumer);

    String providerPath = "/courier/" + service + "/providers/orders-1";
    Stat stat = registry.curator().checkExists().forPath(providerPath);
    assertThat(stat).isNotNull();
    assertThat(stat.getEphemeralOwner()).as("ephemeral").isEqualTo(
        registry.curator().getZookeeperClient().getZooKeeper().getSessionId());
    assertThat(registry.curator().checkExists().forPath("/courier/" + service + "/consumers/consumer-1")).isNotNull();
    String json = new String(registry.curator().getData().forPath(providerPath), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"format\":1,\"id\":\"orders-1\",\"role\":\"provider\",\"service\":\"" + service
        + "\",\"version\":\"2\",\"group\":\"\",\"host\":\"10.0.0.7\",\"ports\":{\"tcp\":7070},\"serializers\":"
        + "[\"kryo\"],\"weight\":50,\"startTime\":\"2026-05-01T12:00:00Z\",\"metadata\":{\"zone\":\"eu-1\"}}");
    assertThat(json).doesNotContain("io.courier", "java.", "@class");
  }

  @Test
  void aProviderWhoseSessionEndsWithoutUnregisteringDisappears() throws Exception {
    ZooKeeperRegistry provider = registry();
    ZooKeeperRegistry consumer = registry();
    Recorder seen = new Recorder();
    consumer.subscribe(service, seen);
    provider.register(instance("10.0.0.7", 7070));
    Polling.await("the provider", () -> seen.last().size() == 1);

    provider.curator().close(); // the process dies: its session ends, nobody unregisters anything
    Polling.await("the dead provider to disappear", () -> seen.last().isEmpty());
  }

  @Test
  void afterSessionExpiryTheProviderRegistersAgainByItself() throws Exception {
    ZooKeeperRegistry provider = register(ZooKeeperRegistry.builder(zookeeper.getConnectString())
        .sessionTimeout(Duration.ofSeconds(1)).build());
    ZooKeeperRegistry consumer = registry();
    Recorder seen = new Recorder();
    consumer.subscribe(service, seen);
    ServiceInstance orders = instance("10.0.0.7", 7070);
    provider.register(orders);
    Polling.await("the provider", () -> seen.last().size() == 1);
    String path = provider.path(orders);
    long before = provider.curator().getZookeeperClient().getZooKeeper().getSessionId();

    KillSession.kill(provider.curator().getZookeeperClient().getZooKeeper());

    Polling.await("the node to belong to a new session", () -> {
      try {
        Stat stat = consumer.curator().checkExists().forPath(path);
        long now = provider.curator().getZookeeperClient().getZooKeeper().getSessionId();
        return stat != null && now != before && stat.getEphemeralOwner() == now;
      } catch (Exception e) {
        return false; // the provider's client is between sessions
      }
    });
    Polling.await("the consumer to see the provider", () -> seen.last().equals(List.of(orders)));
  }

  @Test
  void aNodeLeftByTheProvidersEarlierSessionIsTakenOverAtOnceNotWhenThatSessionTimesOut() throws Exception {
    // The provider's client gives its session up (as Curator does after a session timeout out of touch with an
    // ensemble that was down) while the server keeps it, and its node, for 20 s more.
    ZooKeeperRegistry provider = register(ZooKeeperRegistry.builder(zookeeper.getConnectString())
        .sessionTimeout(Duration.ofSeconds(20)).build());
    ZooKeeperRegistry consumer = registry();
    ServiceInstance orders = instance("10.0.0.7", 7070);
    provider.register(orders);
    String path = provider.path(orders);
    long before = provider.curator().getZookeeperClient().getZooKeeper().getSessionId();
    assertThat(consumer.curator().checkExists().forPath(path).getEphemeralOwner()).isEqualTo(before);

    KillSession.kill(provider.curator().getZookeeperClient().getZooKeeper());

    Polling.await("the node to belong to the new session well before the old one times out", Duration.ofSeconds(8),
        () -> {
          try {
            Stat stat = consumer.curator().checkExists().forPath(path);
            long now = provider.curator().getZookeeperClient().getZooKeeper().getSessionId();
            return stat != null && now != before && stat.getEphemeralOwner() == now;
          } catch (Exception e) {
            return false; // the provider's client is between sessions
          }
        });
  }

  @Test
  void whileZooKeeperIsDownSubscribersKeepTheLastProvidersAndSeeNewOnesWhenItIsBack() throws Exception {
    ZooKeeperRegistry provider = registry();
    ZooKeeperRegistry consumer = registry();
    Recorder seen = new Recorder();
    consumer.subscribe(service, seen);
    ServiceInstance first = instance("10.0.0.7", 7070);
    provider.register(first);
    Polling.await("the provider", () -> seen.last().size() == 1);
    int listsBefore = seen.lists.size();

    zookeeper.stop();
    Polling.await("the consumer to notice", () -> !consumer.isConnected());
    assertThat(seen.lists).hasSize(listsBefore); // nothing removed because the registry is down
    assertThat(seen.last()).containsExactly(first);
    assertThat(consumer.subscribe(service, new Recorder())).as("subscribing still works").isNotNull();

    zookeeper.restart();
    ZooKeeperRegistry late = registry();
    ServiceInstance second = instance("10.0.0.8", 7070);
    late.register(second);
    Polling.await("the new provider to be seen", () -> seen.last().size() == 2);
    assertThat(seen.lists.subList(listsBefore - 1, seen.lists.size()))
        .as("never an empty list through the outage").allSatisfy(list -> assertThat(list).isNotEmpty());
  }

  @Test
  void afterZooKeeperLosesItsDataProvidersRegisterAgainWithinSecondsNotASessionTimeoutLater() throws Exception {
    ZooKeeperRegistry provider = registry(); // a 30 s session: what the ensemble refuses to take back
    ServiceInstance orders = instance("10.0.0.7", 7070);
    provider.register(orders);
    // the ensemble is wiped, or replaced by a new one at the same address
    zookeeper.replaceWithAnEmptyOne(temp.resolve("fresh-data").toFile());

    ZooKeeperRegistry late = registry(); // a client started right after
    Recorder seen = new Recorder();
    late.subscribe(service, seen);
    Polling.await("the provider to be registered again well within its 30 s session timeout", Duration.ofSeconds(10),
        () -> seen.last().equals(List.of(orders)));
    assertThat(provider.isConnected()).isTrue();
  }

  @Test
  void registrationNodesDeletedByAnotherClientAreMadeAgainAtOnce() throws Exception {
    ZooKeeperRegistry provider = registry();
    ServiceInstance orders = instance("10.0.0.7", 7070);
    provider.register(orders);
    ZooKeeperRegistry other = registry();
    Recorder seen = new Recorder();
    other.subscribe(service, seen);

    other.curator().delete().forPath(provider.path(orders));
    Polling.await("the node to be made again", Duration.ofSeconds(5),
        () -> exists(other, provider.path(orders)) && seen.last().equals(List.of(orders)));

    other.curator().delete().deletingChildrenIfNeeded().forPath("/courier"); // the whole tree, parents and all
    Polling.await("the node and its parents to be made again", Duration.ofSeconds(5),
        () -> exists(other, provider.path(orders)));
    Polling.await("the consumer to see the provider again", () -> seen.last().equals(List.of(orders)));
  }

  private static boolean exists(ZooKeeperRegistry registry, String path) {
    try {
      return registry.curator().checkExists().forPath(path) != null;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aSnapshotLetsAConsumerStartWhileZooKeeperIsDown() throws Exception {
    Path snapshot = temp.resolve("state/providers.json");
    ServiceInstance orders = instance("10.0.0.7", 7070);
    registry().register(orders);
    ZooKeeperRegistry first = register(ZooKeeperRegistry.builder(zookeeper.getConnectString())
        .snapshotFile(snapshot).build());
    first.subscribe(service, new Recorder());
    Polling.await("the snapshot to be written", () -> {
      try {
        return Files.exists(snapshot) && Files.readString(snapshot).contains("10.0.0.7");
      } catch (java.io.IOException e) {
        return false;
      }
    });
    first.close();
    String saved = Files.readString(snapshot);
    assertThat(saved).contains("\"services\"", service).doesNotContain("io.courier.registry");

    zookeeper.stop();
    long start = System.nanoTime();
    ZooKeeperRegistry offline = register(ZooKeeperRegistry.builder(zookeeper.getConnectString())
        .connectTimeout(Duration.ofMillis(500)).snapshotFile(snapshot).build());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    Recorder seen = new Recorder();
    offline.subscribe(service, seen);
    assertThat(seen.last()).containsExactly(orders);

    zookeeper.restart();
    Polling.await("the registry to connect", offline::isConnected);
    registry().register(instance("10.0.0.8", 7070));
    Polling.await("the live list to replace the snapshot", () -> seen.last().size() == 2);
  }

  @Test
  void aSnapshotSavedForAnotherRootOrInAnotherFormatIsNotServed() throws Exception {
    String providers = "\"services\":{\"" + service + "\":["
        + new String(InstanceJson.toBytes(instance("10.6.6.6", 7070)), StandardCharsets.UTF_8) + "]}";
    zookeeper.stop();
    for (String wrong : List.of(
        "{\"format\":1,\"registry\":\"zookeeper://" + zookeeper.getConnectString() + "/other\"," + providers + "}",
        "{\"format\":2,\"registry\":\"zookeeper://" + zookeeper.getConnectString() + "/courier\"," + providers + "}",
        "{" + providers + "}")) {
      Path snapshot = temp.resolve("wrong-" + wrong.hashCode() + ".json");
      Files.writeString(snapshot, wrong);
      assertThatThrownBy(() -> ZooKeeperRegistry.builder(zookeeper.getConnectString())
          .connectTimeout(Duration.ofMillis(300)).snapshotFile(snapshot).build())
          .as(wrong).isInstanceOf(RegistryException.class).hasMessageContaining("the snapshot " + snapshot);
    }
    Path ours = temp.resolve("ours.json"); // the same root through another address of the ensemble: served
    Files.writeString(ours, "{\"format\":1,\"registry\":\"zookeeper://zk.example:2181/courier\"," + providers
        + "}");
    ZooKeeperRegistry offline = register(ZooKeeperRegistry.builder(zookeeper.getConnectString())
        .connectTimeout(Duration.ofMillis(300)).snapshotFile(ours).build());
    Recorder seen = new Recorder();
    offline.subscribe(service, seen);
    assertThat(seen.last()).extracting(ServiceInstance::host).containsExactly("10.6.6.6");
  }

  @Test
  void anUnreachableEnsembleFailsClearlyWithinTheConnectTimeout() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    long start = System.nanoTime();
    assertThatThrownBy(() -> Registries.connect("zookeeper://127.0.0.1:" + closedPort + "?connectTimeout=500ms"))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("cannot reach ZooKeeper at 127.0.0.1:" + closedPort + " within 500 ms (check the"
            + " address and that the ensemble is running");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void anUnknownSchemeNamesTheSchemesOnTheClassPath() {
    assertThatThrownBy(() -> Registries.connect("nacos://127.0.0.1:8848"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown registry scheme 'nacos'")
        .hasMessageContaining("(available: zookeeper, static, embedded;");
    assertThatThrownBy(() -> Registries.connect("zookeeper:///courier")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no ZooKeeper server");
  }

  @Test
  void nodesThatAreNotCourierInstancesAreIgnored() throws Exception {
    ZooKeeperRegistry registry = registry();
    Recorder seen = new Recorder();
    registry.subscribe(service, seen);
    registry.curator().create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
        .forPath("/courier/" + service + "/providers/garbage", "not json".getBytes(StandardCharsets.UTF_8));
    ServiceInstance orders = instance("10.0.0.7", 7070);
    registry.register(orders);
    Polling.await("the valid provider", () -> seen.last().equals(List.of(orders)));
  }

  @Test
  void aBadNodeIsWarnedAboutOnceWhileItIsThereAndAgainIfItComesBack() throws Exception {
    ZooKeeperRegistry registry = registry();
    Recorder seen = new Recorder();
    registry.subscribe(service, seen);
    String bad = "/courier/" + service + "/providers/garbage";
    String warning = "ignoring provider node " + bad;
    try (ErrCapture err = new ErrCapture()) {
      registry.curator().create().creatingParentsIfNeeded().forPath(bad, "not json".getBytes(StandardCharsets.UTF_8));
      Polling.await("the warning", () -> err.text().contains(warning));
      ServiceInstance orders = instance("10.0.0.7", 7070);
      registry.register(orders); // the providers are read again, the bad node among them
      Polling.await("the valid provider", () -> seen.last().equals(List.of(orders)));
      assertThat(err.text().lines().filter(l -> l.contains(warning))).as("once while it is there").hasSize(1);

      registry.curator().delete().forPath(bad); // forgotten once gone (the map of bad nodes does not grow forever)
      ServiceInstance second = instance("10.0.0.8", 7070);
      registry.register(second); // seen only after the delete was: ZooKeeper tells a client its events in order
      Polling.await("both valid providers", () -> seen.last().size() == 2);
      registry.curator().create().forPath(bad, "still not json".getBytes(StandardCharsets.UTF_8));
      Polling.await("a second warning for the node that came back",
          () -> err.text().lines().filter(l -> l.contains(warning)).count() == 2);
    }
  }

  @Test
  void aNodeWithoutIdOrStartTimeReadsAsTheSameInstanceEveryTime() throws Exception {
    ZooKeeperRegistry registry = registry();
    Recorder seen = new Recorder();
    registry.subscribe(service, seen);
    // as another tool might write it: no id, no startTime
    String path = "/courier/" + service + "/providers/hand-made-1";
    registry.curator().create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path,
        ("{\"service\":\"" + service + "\",\"host\":\"10.0.0.9\",\"ports\":{\"tcp\":7070},"
            + "\"serializers\":[\"kryo\"]}").getBytes(StandardCharsets.UTF_8));
    Polling.await("the hand-made provider", () -> seen.last().size() == 1);
    ServiceInstance handMade = seen.last().get(0);
    assertThat(handMade.id()).as("its node's name").isEqualTo("hand-made-1");
    Stat stat = registry.curator().checkExists().forPath(path);
    assertThat(handMade.startTime()).as("its node's creation time").isEqualTo(Instant.ofEpochMilli(stat.getCtime()));

    ServiceInstance orders = instance("10.0.0.7", 7070);
    registry.register(orders); // another provider: the service's providers are read again
    Polling.await("both providers", () -> seen.last().size() == 2);
    assertThat(seen.last()).as("read again, the same instance").contains(handMade);
  }

  @Test
  void theAddressSetsRootAndTimeouts() throws Exception {
    try (Registry registry = Registries.connect("zookeeper://" + zookeeper.getConnectString()
        + "/apps/courier?connectTimeout=2s&sessionTimeout=10s")) {
      assertThat(registry.describe()).isEqualTo("zookeeper://" + zookeeper.getConnectString() + "/apps/courier");
      registry.register(instance("10.0.0.7", 7070));
      ZooKeeperRegistry zk = (ZooKeeperRegistry) registry;
      assertThat(zk.curator().getChildren().forPath("/apps/courier/" + service + "/providers")).hasSize(1);
    }
  }

  private ServiceInstance instance(String host, int port) {
    return ServiceInstance.builder(service).host(host).port("tcp", port).serializers(List.of("kryo")).build();
  }

  private ZooKeeperRegistry registry() {
    return register(ZooKeeperRegistry.builder(zookeeper.getConnectString()).build());
  }

  private ZooKeeperRegistry register(ZooKeeperRegistry registry) {
    zookeeper.closeAfter(registry);
    return registry;
  }
}
