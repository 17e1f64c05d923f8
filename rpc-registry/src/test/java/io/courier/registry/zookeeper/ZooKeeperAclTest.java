package io.courier.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.registry.RegistryException;
import io.courier.registry.ServiceInstance;
import io.courier.registry.TestZooKeeper;
import io.courier.testing.Polling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may change Courier's nodes in ZooKeeper: a provider with digest credentials owns its nodes; anyone can still
 * discover it; nobody else can delete, overwrite or add providers (the server answers NoAuth).
 */
class ZooKeeperAclTest {

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final String CONTAINER_CHECK_INTERVAL = "znode.container.checkIntervalMs";

  @RegisterExtension
  final TestZooKeeper zookeeper = new TestZooKeeper()
      .withStartProperty(CONTAINER_CHECK_INTERVAL, "20"); // ZooKeeper removes empty containers every 20 ms

  private final String service = "test.Payments" + IDS.incrementAndGet();

  @TempDir
  Path temp;

  @Test
  void aProviderWithCredentialsRegistersAndAClientWithoutCredentialsDiscoversIt() throws Exception {
    ZooKeeperRegistry provider = provider("provider", "s3cret");
    ServiceInstance payments = instance();
    provider.register(payments);

    ZooKeeperRegistry consumer = keep(ZooKeeperRegistry.builder(zookeeper.getConnectString()).build());
    Recorder seen = new Recorder();
    consumer.subscribe(service, seen);
    assertThat(seen.last()).containsExactly(payments);

    // every node Courier made on the way carries the provider's identity, and reading for anyone
    Id owner = new Id("digest", DigestAuthenticationProvider.generateDigest("provider:s3cret"));
    List<ACL> expected = List.of(new ACL(ZooDefs.Perms.ALL, owner),
        new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
    for (String path : List.of("/courier", "/courier/" + service, "/courier/" + service + "/providers",
        provider.path(payments))) {
      assertThat(provider.curator().getACL().forPath(path)).as(path).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(provider.toString()).contains("digest user 'provider'").doesNotContain("s3cret");
  }

  @Test
  void clientsWithoutOrWithOtherCredentialsCannotDeleteOverwriteOrAddProviders() throws Exception {
    ZooKeeperRegistry provider = provider("provider", "s3cret");
    ServiceInstance payments = instance();
    provider.register(payments);
    String node = provider.path(payments);
    String providers = "/courier/" + service + "/providers";
    byte[] fake = InstanceJson.toBytes(ServiceInstance.builder(service).host("6.6.6.6").port("tcp", 7070).build());

    for (CuratorFramework attacker : List.of(curator(null), curator("mallory:other"), curator("provider:guess"))) {
      assertThatThrownBy(() -> attacker.setData().forPath(node, fake))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> attacker.delete().forPath(node)).isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> attacker.create().withMode(CreateMode.EPHEMERAL).forPath(providers + "/fake", fake))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> attacker.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(providers))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> attacker.create().forPath("/courier/evil.Service"))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThat(attacker.getData().forPath(node)).as("reading stays open").isEqualTo(InstanceJson.toBytes(payments));
    }
    // and a Courier registry without credentials is told why it cannot register there
    ZooKeeperRegistry intruder = keep(ZooKeeperRegistry.builder(zookeeper.getConnectString()).build());
    assertThatThrownBy(() -> intruder.register(instance()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("refused to create /courier/" + service + "/providers/")
        .hasMessageContaining("for a client without credentials (NOAUTH")
        .hasMessageContaining(providers + " grants [digest 'provider': cdrwa, world:anyone: r]");
  }

  @Test
  void aWrongPasswordFailsAtConnectNamingTheUserAndWhereThePasswordCameFromButNotThePassword() throws Exception {
    provider("provider", "s3cret").register(instance());
    Path file = temp.resolve("zk.digest");
    Files.writeString(file, "provider:wrong-password\n");

    assertThatThrownBy(() -> Registries.connect("zookeeper://" + zookeeper.getConnectString()
        + "?auth=digest&credentials=file:" + file))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("does not accept the password of digest user 'provider'")
        .hasMessageContaining("check the file " + file)
        .hasMessageNotContaining("wrong-password");
  }

  @Test
  void credentialsComeFromAFileOrAnEnvironmentVariableNeverFromTheAddressItself() throws Exception {
    Path file = temp.resolve("zk.digest");
    Files.writeString(file, "provider:s3cret\n");
    String address = "zookeeper://" + zookeeper.getConnectString() + "?credentials=file:" + file;
    try (Registry registry = Registries.connect(address)) {
      registry.register(instance());
      assertThat(registry.describe()).isEqualTo("zookeeper://" + zookeeper.getConnectString() + "/courier");
      assertThat(registry.toString()).doesNotContain("s3cret");
      assertThat(curator(null).getACL().forPath("/courier")).extracting(acl -> acl.getId().getScheme())
          .containsExactlyInAnyOrder("digest", "world");
    }
    assertThatThrownBy(() -> Registries.connect("zookeeper://" + zookeeper.getConnectString()
        + "?auth=digest&credentials=provider:s3cret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: file:/path/to/file or env:NAME")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> Registries.connect("zookeeper://" + zookeeper.getConnectString()
        + "?credentials=env:COURIER_TEST_UNSET_VARIABLE_" + IDS.get()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not set");
    assertThat(DigestCredentials.load("env:ZK", name -> name.equals("ZK") ? "provider:s3cret" : null).user())
        .isEqualTo("provider");
    assertThatThrownBy(() -> Registries.connect("zookeeper://" + zookeeper.getConnectString() + "?acl=creator"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("this registry has no credentials");
  }

  @Test
  void aTreeMadeOpenByAnEarlierVersionIsClosedWhenAProviderWithCredentialsRegisters() throws Exception {
    CuratorFramework old = curator(null);
    old.create().creatingParentsIfNeeded().forPath("/courier/" + service + "/providers"); // world:anyone cdrwa
    assertThat(Acls.letsAnyoneChange(old.getACL().forPath("/courier/" + service + "/providers"))).isTrue();

    provider("provider", "s3cret").register(instance());

    for (String path : List.of("/courier", "/courier/" + service, "/courier/" + service + "/providers")) {
      List<ACL> acl = old.getACL().forPath(path);
      assertThat(Acls.letsAnyoneChange(acl)).as(path + ": " + Acls.describe(acl)).isFalse();
    }
    assertThatThrownBy(() -> old.create().forPath("/courier/" + service + "/providers/fake"))
        .isInstanceOf(KeeperException.NoAuthException.class);
  }

  @Test
  void theRootOutlivesItsLastServiceWithItsAclSoThatNobodyWithoutCredentialsCanAddAServiceUnderIt() throws Exception {
    ZooKeeperRegistry provider = provider("provider", "s3cret");
    ServiceInstance payments = instance();
    provider.register(payments);
    CuratorFramework anyone = curator(null);

    provider.unregister(payments);
    Polling.await("ZooKeeper to remove the empty service node", () -> !exists(anyone, "/courier/" + service));
    // clients cannot tell a container from a persistent node, so wait for two more passes of ZooKeeper's container
    // check, each seen as a probe container emptied now going: a container root, empty since the service node went,
    // would be gone by then
    for (int pass = 0; pass < 2; pass++) {
      anyone.create().withMode(CreateMode.CONTAINER).forPath("/probe");
      anyone.create().forPath("/probe/child");
      anyone.delete().forPath("/probe/child");
      Polling.await("a pass of the container check", () -> !exists(anyone, "/probe"));
    }

    assertThat(exists(anyone, "/courier")).isTrue();
    assertThat(Acls.letsAnyoneChange(anyone.getACL().forPath("/courier"))).isFalse();
    byte[] fake = InstanceJson.toBytes(ServiceInstance.builder(service).host("6.6.6.6").port("tcp", 7070).build());
    assertThatThrownBy(() -> anyone.create().creatingParentsIfNeeded().forPath("/courier/" + service
        + "/providers/fake", fake)).isInstanceOf(KeeperException.NoAuthException.class);
  }

  @Test
  void aNodeAboveTheRegistrationThatAnyoneMayChangeButTheProviderMayNotSecureFailsTheRegistration() throws Exception {
    // made open by someone without credentials, with ADMIN for nobody: nobody can restrict it
    CuratorFramework other = curator(null);
    int anythingButAdmin = ZooDefs.Perms.ALL & ~ZooDefs.Perms.ADMIN;
    other.create().withACL(List.of(new ACL(anythingButAdmin, ZooDefs.Ids.ANYONE_ID_UNSAFE))).forPath("/courier");

    ZooKeeperRegistry provider = provider("provider", "s3cret");
    assertThatThrownBy(() -> provider.register(instance()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("ZooKeeper node /courier at " + zookeeper.getConnectString() + " lets anyone add or"
            + " delete the nodes under it ([world:anyone: cdrw])")
        .hasMessageContaining("may not change its ACL")
        .hasMessageNotContaining("s3cret");
    assertThat(other.getChildren().forPath("/courier")).as("nothing registered under it").isEmpty();
  }

  @Test
  void withoutCredentialsNodesStayOpenAsBefore() throws Exception {
    ZooKeeperRegistry registry = keep(ZooKeeperRegistry.builder(zookeeper.getConnectString()).build());
    ServiceInstance payments = instance();
    registry.register(payments);
    assertThat(curator(null).getACL().forPath(registry.path(payments))).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
  }

  @Test
  void anAclCanBeChosen() throws Exception {
    Path file = temp.resolve("zk.digest");
    Files.writeString(file, "provider:s3cret");
    try (Registry registry = Registries.connect("zookeeper://" + zookeeper.getConnectString() + "?credentials=file:"
        + file + "&acl=creator-only")) {
      registry.register(instance());
      assertThatThrownBy(() -> curator(null).getData().forPath("/courier/" + service))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> Registries.connect("zookeeper://" + zookeeper.getConnectString()))
          .as("a consumer without credentials is told at once that it may not read the tree")
          .isInstanceOf(RegistryException.class).hasMessageContaining("may not read /courier");
    }
    assertThatThrownBy(() -> Registries.connect("zookeeper://" + zookeeper.getConnectString() + "?acl=everyone"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acl: everyone (expected: creator, creator-only or open)");
  }

  private ServiceInstance instance() {
    return ServiceInstance.builder(service).host("10.0.0.7").port("tcp", 7070).build();
  }

  private ZooKeeperRegistry provider(String user, String password) {
    return keep(ZooKeeperRegistry.builder(zookeeper.getConnectString()).digest(user, password).build());
  }

  /** A plain Curator client, with {@code user:password} digest credentials or none. */
  private CuratorFramework curator(String digest) throws InterruptedException {
    CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
        .connectString(zookeeper.getConnectString()).retryPolicy(new RetryOneTime(100));
    if (digest != null) {
      b.authorization("digest", digest.getBytes(StandardCharsets.UTF_8));
    }
    CuratorFramework client = keep(b.build());
    client.start();
    Polling.await("the client to connect", () -> client.getZookeeperClient().isConnected());
    return client;
  }

  private static boolean exists(CuratorFramework client, String path) {
    try {
      return client.checkExists().forPath(path) != null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private <T extends AutoCloseable> T keep(T resource) {
    zookeeper.closeAfter(resource);
    return resource;
  }
}
