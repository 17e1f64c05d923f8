package io.courier.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

class DependencyCheckTest {

  private final DependencyCheck check = new DependencyCheck("0.1.0", "4.2.18.Final", "3.1.7");
  private final Map<String, String> jackson = Map.of("jackson-core", "3.2.4", "jackson-databind", "3.2.4");

  @Test
  void thisBuildsRequirementsHoldOnItsOwnClassPath() {
    DependencyCheck build = DependencyCheck.ofThisBuild();
    build.verify(getClass().getClassLoader());
    assertThat(DependencyCheck.nettyOnClassPath(getClass().getClassLoader())).containsKeys("netty-common",
        "netty-transport");
    assertThat(DependencyCheck.jacksonOnClassPath(getClass().getClassLoader())).containsKeys("jackson-core",
        "jackson-databind");
  }

  @Test
  void acceptsTheNettyItIsBuiltWithAndLaterPatchReleases() {
    assertThat(check.verify(netty("4.2.18.Final"), jackson)).isEmpty();
    // what spring-boot-starter-parent 4.1.2 manages
    assertThat(check.verify(netty("4.2.19.Final"), Map.of("jackson-core", "3.1.7", "jackson-databind", "3.1.7")))
        .isEmpty();
  }

  @Test
  void refusesAnOlderNettyNamingThePropertyThatFixesIt() {
    assertThatThrownBy(() -> check.verify(netty("4.1.118.Final"), jackson))
        .isInstanceOfSatisfying(CourierConfigurationException.class, e -> {
          assertThat(e.property()).isEqualTo("Netty on the class path");
          assertThat(e.getMessage()).isEqualTo("Netty on the class path = '4.1.118.Final': Courier 0.1.0 needs Netty "
              + "4.2.18.Final or a later 4.2 release (it is built and tested with 4.2.18.Final)");
          assertThat(e.action()).contains("<netty.version>4.2.18.Final</netty.version>")
              .contains("mvn dependency:tree -Dincludes=io.netty").contains("courier.dependency-check.enabled=false");
        });
    assertThatThrownBy(() -> check.verify(netty("4.2.17.Final"), jackson))
        .hasMessageContaining("'4.2.17.Final': Courier 0.1.0 needs Netty 4.2.18.Final");
  }

  @Test
  void refusesNettyModulesOfMixedVersions() {
    // a native transport pinned by hand while the rest follows Spring Boot
    Map<String, String> mixed = new LinkedHashMap<>(netty("4.2.19.Final"));
    mixed.put("netty-transport-native-epoll", "4.2.18.Final");
    mixed.put("netty-tcnative-boringssl-static", "2.0.84.Final"); // versioned on its own: not a mix
    mixed.put("netty-incubator-codec-quic", "0.0.74.Final");
    assertThatThrownBy(() -> check.verify(mixed, jackson)).isInstanceOf(CourierConfigurationException.class)
        .hasMessage("Netty on the class path = '4.2.19.Final (netty-buffer, netty-common, netty-transport), "
            + "4.2.18.Final (netty-transport-native-epoll)': Netty's modules must all be one version; mixed, they "
            + "fail at run time (NoSuchMethodError, a native transport that does not load)");
  }

  @Test
  void warnsOfALaterNettyLineButStarts() {
    assertThat(check.verify(netty("4.3.0.Final"), jackson)).singleElement().asString()
        .contains("built and tested with Netty 4.2.18.Final").contains("runs Netty 4.3.0.Final");
    assertThatThrownBy(() -> check.verify(netty("5.0.0.Alpha5"), jackson))
        .hasMessageContaining("needs Netty 4.2.18.Final or a later 4.2 release");
  }

  @Test
  void refusesAnOlderOrMixedJackson() {
    assertThatThrownBy(() -> check.verify(netty("4.2.18.Final"),
        Map.of("jackson-core", "3.0.4", "jackson-databind", "3.0.4")))
        .isInstanceOfSatisfying(CourierConfigurationException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("Jackson on the class path = '3.0.4': Courier 0.1.0 needs Jackson "
              + "3.1.7 or a later 3.x release");
          assertThat(e.action()).contains("<jackson-bom.version>3.1.7</jackson-bom.version>");
        });
    assertThatThrownBy(() -> check.verify(netty("4.2.18.Final"),
        Map.of("jackson-core", "3.2.4", "jackson-databind", "3.1.7")))
        .hasMessageContaining("jackson-core 3.2.4, jackson-databind 3.1.7")
        .hasMessageContaining("must be of one release");
    // two copies of one module on the class path
    assertThatThrownBy(() -> check.verify(netty("4.2.18.Final"),
        Map.of("jackson-core", "3.2.4", "jackson-databind", "3.2.4, 3.1.7")))
        .hasMessageContaining("must be of one release");
  }

  @Test
  void bootReportsTheMismatchWithWhatToDo() {
    CourierConfigurationException failure = new CourierConfigurationException("x", null, "y", "z", null);
    try {
      check.verify(netty("4.1.118.Final"), jackson);
    } catch (CourierConfigurationException e) {
      failure = e;
    }
    FailureAnalysis analysis = new CourierFailureAnalyzer().analyze(new IllegalStateException("context", failure));
    assertThat(analysis.getDescription()).startsWith("Courier could not start: Netty on the class path = "
        + "'4.1.118.Final': Courier 0.1.0 needs Netty 4.2.18.Final");
    assertThat(analysis.getAction()).startsWith("Let one version manage every io.netty module");
  }

  private static Map<String, String> netty(String version) {
    Map<String, String> modules = new LinkedHashMap<>();
    for (String module : new String[] {"netty-common", "netty-buffer", "netty-transport"}) {
      modules.put(module, version);
    }
    return modules;
  }
}
