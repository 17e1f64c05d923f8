package io.courier.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.registry.RegistryException;
import io.courier.registry.ServiceInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestLoginModule;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A SASL login (DIGEST-MD5 through ZooKeeper's own DigestLoginModule, the mechanism ZooKeeper's tests use; Kerberos
 * needs a KDC) against a TestingServer with the SASL authentication provider. The JAAS configuration is installed
 * programmatically for the test and removed afterwards, with the server's provider property.
 */
class ZooKeeperSaslTest {

  private static final String PROVIDER_PROPERTY = "zookeeper.authProvider.sasl";
  /** ZooKeeper 3.9 refuses DIGEST-MD5 in its default FIPS mode; Kerberos (GSSAPI) is not affected. */
  private static final String FIPS_PROPERTY = "zookeeper.fips-mode";
  private static final AtomicReference<String> clientPassword = new AtomicReference<>("s3cret");
  private static TestingServer zookeeper;

  @BeforeAll
  static void startSaslZooKeeper() throws Exception {
    Configuration.setConfiguration(new Configuration() {
      @Override
      public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        Map<String, String> options = switch (name) {
          case "Server" -> Map.of("user_provider", "s3cret");
          case "Client" -> Map.of("username", "provider", "password", clientPassword.get());
          default -> null;
        };
        return options == null ? null : new AppConfigurationEntry[] {new AppConfigurationEntry(
            DigestLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
      }
    });
    System.setProperty(PROVIDER_PROPERTY, "org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
    System.setProperty(FIPS_PROPERTY, "false");
    ProviderRegistry.reset();
    zookeeper = new TestingServer();
  }

  @AfterAll
  static void stopAndForgetTheJaasConfiguration() throws Exception {
    try {
      zookeeper.close();
    } finally {
      System.clearProperty(PROVIDER_PROPERTY);
      System.clearProperty(FIPS_PROPERTY);
      ProviderRegistry.reset();
      Configuration.setConfiguration(null);
    }
  }

  @Test
  void aProviderLoggedInWithSaslOwnsItsNodesAndOthersCanOnlyReadThem() throws Exception {
    clientPassword.set("s3cret");
    try (ZooKeeperRegistry provider = ZooKeeperRegistry.builder(zookeeper.getConnectString()).sasl(true).build();
        ZooKeeperRegistry anonymous = ZooKeeperRegistry.builder(zookeeper.getConnectString()).sasl(false).build()) {
      ServiceInstance ledger = ServiceInstance.builder("test.SaslLedger").host("10.0.0.7").port("tcp", 7070).build();
      provider.register(ledger);
      assertThat(provider.curator().getACL().forPath(provider.path(ledger))).containsExactlyInAnyOrder(
          new ACL(ZooDefs.Perms.ALL, new Id("sasl", "provider")),
          new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));

      Recorder seen = new Recorder();
      anonymous.subscribe("test.SaslLedger", seen);
      assertThat(seen.last()).containsExactly(ledger);
      assertThatThrownBy(() -> anonymous.curator().delete().forPath(provider.path(ledger)))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> anonymous.curator().setData().forPath(provider.path(ledger), new byte[1]))
          .isInstanceOf(KeeperException.NoAuthException.class);
    }
  }

  @Test
  void aRefusedSaslLoginFailsAtConnectSayingWhatToCheck() {
    clientPassword.set("wrong");
    try {
      assertThatThrownBy(() -> ZooKeeperRegistry.builder(zookeeper.getConnectString()).sasl(true)
          .connectTimeout(Duration.ofSeconds(5)).build())
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("refused the login of the SASL login of JAAS section 'Client' (AuthFailed)")
          .hasMessageContaining("check the user name and password")
          .hasMessageNotContaining("wrong");
    } finally {
      clientPassword.set("s3cret");
    }
  }

  @Test
  void saslAskedForWithoutAJaasSectionFailsAtOnce() {
    String previous = System.setProperty("zookeeper.sasl.clientconfig", "NoSuchSection");
    try {
      assertThatThrownBy(() -> ZooKeeperRegistry.builder(zookeeper.getConnectString()).sasl(true).build())
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("the JAAS configuration has no 'NoSuchSection' section")
          .hasMessageContaining("or set ?sasl=false");
    } finally {
      restore("zookeeper.sasl.clientconfig", previous);
    }
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  /** Not a test of the server: the decision rule of docs/registry.md, on given properties. */
  @Test
  void saslIsOnOnlyWhenAskedForOrWhenAJaasFileHasTheClientSection() {
    Map<String, String> none = Map.of();
    assertThat(SaslSetting.decide(null, none::get, s -> true).enabled()).isFalse();
    assertThat(SaslSetting.decide(true, none::get, s -> false)).extracting(SaslSetting::enabled,
        SaslSetting::explicit).containsExactly(true, true);
    Map<String, String> zkOff = Map.of("zookeeper.sasl.client", "false", "java.security.auth.login.config", "/j");
    assertThat(SaslSetting.decide(null, zkOff::get, s -> true).enabled()).isFalse();
    assertThat(SaslSetting.decide(true, zkOff::get, s -> true).enabled()).as("the address wins").isTrue();
    Map<String, String> jaas = Map.of("java.security.auth.login.config", "/etc/jaas.conf");
    assertThat(SaslSetting.decide(null, jaas::get, "Client"::equals)).extracting(SaslSetting::enabled,
        SaslSetting::explicit).containsExactly(true, false);
    assertThat(SaslSetting.decide(null, jaas::get, s -> false).enabled())
        .as("a JAAS file for something else (KafkaClient only) does not turn ZooKeeper SASL on").isFalse();
    Map<String, String> section = Map.of("java.security.auth.login.config", "/j", "zookeeper.sasl.clientconfig", "Zk");
    assertThat(SaslSetting.decide(null, section::get, "Zk"::equals).section()).isEqualTo("Zk");
    assertThat(List.of(SaslSetting.decide(false, jaas::get, s -> true).reason())).containsExactly(
        "sasl=false was asked for");
  }
}
