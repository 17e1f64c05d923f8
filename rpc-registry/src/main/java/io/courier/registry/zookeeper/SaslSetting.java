package io.courier.registry.zookeeper;

import java.util.function.Function;
import java.util.function.Predicate;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.Environment;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * Whether a registry's ZooKeeper client logs in with SASL, and why. The rule (docs/registry.md):
 *
 * <ol>
 *   <li>{@code ?sasl=true|false} (or {@code auth=sasl}, or {@code Builder.sasl}) decides when given;
 *   <li>else ZooKeeper's own switch, the system property {@code zookeeper.sasl.client}, when set;
 *   <li>else SASL is on if {@code java.security.auth.login.config} names a JAAS file that has the client section
 *       ({@code zookeeper.sasl.clientconfig}, default {@code Client});
 *   <li>else off: no JAAS lookups, and no warning from ZooKeeper on each connection about a missing section.
 * </ol>
 *
 * A SASL login asked for explicitly (1 or 2) whose JAAS section is missing fails {@code build()} instead of silently
 * connecting without it.
 */
record SaslSetting(boolean enabled, boolean explicit, String section, String reason) {

  static SaslSetting decide(Boolean asked, Function<String, String> properties, Predicate<String> jaasHasSection) {
    String section = properties.apply(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY);
    if (section == null || section.isBlank()) {
      section = ZKClientConfig.LOGIN_CONTEXT_NAME_KEY_DEFAULT;
    }
    if (asked != null) {
      return new SaslSetting(asked, true, section, asked ? "sasl=true was asked for" : "sasl=false was asked for");
    }
    String zkSwitch = properties.apply(ZKClientConfig.ENABLE_CLIENT_SASL_KEY);
    if (zkSwitch != null && !zkSwitch.isBlank()) {
      boolean on = Boolean.parseBoolean(zkSwitch.trim());
      return new SaslSetting(on, true, section, "the system property " + ZKClientConfig.ENABLE_CLIENT_SASL_KEY
          + " is " + zkSwitch.trim());
    }
    String jaasFile = properties.apply(Environment.JAAS_CONF_KEY);
    if (jaasFile != null && !jaasFile.isBlank() && jaasHasSection.test(section)) {
      return new SaslSetting(true, false, section, Environment.JAAS_CONF_KEY + " names a JAAS file with a '"
          + section + "' section");
    }
    return new SaslSetting(false, false, section, "nothing asked for it");
  }

  /** Whether the JVM's JAAS configuration has {@code section}; {@code false} if there is none at all. */
  static boolean jaasHasSection(String section) {
    try {
      return Configuration.getConfiguration().getAppConfigurationEntry(section) != null;
    } catch (SecurityException | IllegalArgumentException e) {
      return false; // no (readable) JAAS configuration
    }
  }
}
