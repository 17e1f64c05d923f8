package io.courier.spring.internal;

import io.netty.util.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Courier needs of the libraries it shares with the application, checked when the starter starts: Netty (every
 * {@code io.netty} module one version, of the 4.2 line, no older than the one Courier is built with) and Jackson
 * (jackson-core and jackson-databind of one 3.x minor release, no older than the oldest Courier is tested with).
 * Spring Boot's parent and BOM manage both, so an application gets Boot's versions, not Courier's; this turns a
 * version that cannot work into a start-up failure naming it and the Maven property that fixes it, instead of a
 * {@code NoSuchMethodError} on the first call. A newer minor Netty release than Courier knows is logged, not refused.
 * Invariant: the minimums come from the build ({@code META-INF/courier/spring-boot-starter.properties}).
 */
public final class DependencyCheck {

  /** Set to false to start whatever the versions. */
  public static final String ENABLED_PROPERTY = "courier.dependency-check.enabled";

  static final String NETTY = "Netty on the class path";
  static final String JACKSON = "Jackson on the class path";
  private static final String BUILD_PROPERTIES = "META-INF/courier/spring-boot-starter.properties";
  private static final String[] JACKSON_MODULES = {"jackson-core", "jackson-databind"};
  private static final Logger log = LoggerFactory.getLogger(DependencyCheck.class);

  private final String courierVersion;
  private final String nettyMinimum;
  private final String jacksonMinimum;

  /**
   * @param courierVersion this starter's version, for messages
   * @param nettyMinimum the oldest Netty accepted, also the 4.2 line required ({@code 4.2.18.Final})
   * @param jacksonMinimum the oldest Jackson accepted, also the major version required ({@code 3.1.7})
   */
  public DependencyCheck(String courierVersion, String nettyMinimum, String jacksonMinimum) {
    this.courierVersion = courierVersion;
    this.nettyMinimum = nettyMinimum;
    this.jacksonMinimum = jacksonMinimum;
  }

  /** The requirements of this build of the starter. */
  public static DependencyCheck ofThisBuild() {
    Properties p = new Properties();
    try (InputStream in = DependencyCheck.class.getClassLoader().getResourceAsStream(BUILD_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException(BUILD_PROPERTIES + " is missing from the Courier starter's jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BUILD_PROPERTIES, e);
    }
    return new DependencyCheck(p.getProperty("courier.version"), p.getProperty("netty.minimum"),
        p.getProperty("jackson.minimum"));
  }

  /** Checks the Netty and Jackson that {@code loader} sees; throws {@link CourierConfigurationException} if unfit. */
  public void verify(ClassLoader loader) {
    verify(nettyOnClassPath(loader), jacksonOnClassPath(loader)).forEach(log::warn);
  }

  /**
   * Checks the given module versions (module name to version, several versions of one module joined by ", ").
   *
   * @return warnings worth logging
   * @throws CourierConfigurationException when a version cannot work with Courier
   */
  List<String> verify(Map<String, String> netty, Map<String, String> jackson) {
    List<String> warnings = new ArrayList<>();
    checkNetty(netty, warnings);
    checkJackson(jackson);
    return warnings;
  }

  private void checkNetty(Map<String, String> modules, List<String> warnings) {
    // netty-tcnative and the incubator modules have versions of their own
    Map<String, String> netty = new TreeMap<>();
    modules.forEach((module, version) -> {
      if (!module.startsWith("netty-tcnative") && !module.startsWith("netty-incubator")) {
        netty.put(module, version);
      }
    });
    if (netty.isEmpty()) {
      return;
    }
    int[] minimum = numbers(nettyMinimum);
    String line = minimum[0] + "." + minimum[1];
    String fix = "Let one version manage every io.netty module, " + nettyMinimum + " or a later " + line
        + " release: with spring-boot-starter-parent or spring-boot-dependencies set the Maven property <netty.version>"
        + nettyMinimum + "</netty.version> (Spring Boot manages Netty through it), otherwise import "
        + "io.netty:netty-bom:" + nettyMinimum + " before other BOMs, and remove versions set on single Netty "
        + "artifacts. 'mvn dependency:tree -Dincludes=io.netty' shows where each version comes from. "
        + ENABLED_PROPERTY + "=false skips this check.";
    Map<String, List<String>> byVersion = byVersion(netty);
    if (byVersion.size() > 1) {
      throw new CourierConfigurationException(NETTY, describe(byVersion), "Netty's modules must all be one version; "
          + "mixed, they fail at run time (NoSuchMethodError, a native transport that does not load)", fix, null);
    }
    String version = byVersion.keySet().iterator().next();
    int[] found = numbers(version);
    if (found[0] != minimum[0] || compare(found, minimum) < 0) {
      throw new CourierConfigurationException(NETTY, version, "Courier " + courierVersion + " needs Netty "
          + nettyMinimum + " or a later " + line + " release (it is built and tested with "
          + nettyMinimum + ")", fix, null);
    }
    if (found[1] > minimum[1]) {
      warnings.add("Courier " + courierVersion + " is built and tested with Netty " + nettyMinimum + "; this "
          + "application runs Netty " + version + ". If calls fail with NoSuchMethodError or similar, set the Maven "
          + "property <netty.version>" + nettyMinimum + "</netty.version>.");
    }
  }

  private void checkJackson(Map<String, String> modules) {
    if (modules.isEmpty()) {
      return;
    }
    int[] minimum = numbers(jacksonMinimum);
    String fix = "Use jackson-core and jackson-databind " + jacksonMinimum + " or a later " + minimum[0]
        + ".x release, one version for both: with spring-boot-starter-parent or spring-boot-dependencies set the "
        + "Maven property <jackson-bom.version>" + jacksonMinimum + "</jackson-bom.version> or newer, otherwise import "
        + "tools.jackson:jackson-bom. 'mvn dependency:tree -Dincludes=tools.jackson.core' shows where each version "
        + "comes from. " + ENABLED_PROPERTY + "=false skips this check.";
    Map<String, List<String>> byMinor = new TreeMap<>();
    modules.forEach((module, versions) -> {
      for (String v : versions.split(", ")) {
        int[] n = numbers(v);
        byMinor.computeIfAbsent(n[0] + "." + n[1], k -> new ArrayList<>()).add(module + " " + v);
      }
    });
    if (byMinor.size() > 1) {
      throw new CourierConfigurationException(JACKSON, String.join(", ", new TreeMap<>(modules).entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()).toList()), "jackson-core and jackson-databind must be of one "
          + "release", fix, null);
    }
    String databind = modules.getOrDefault("jackson-databind", modules.values().iterator().next());
    int[] found = numbers(databind);
    if (found[0] != minimum[0] || compare(found, minimum) < 0) {
      throw new CourierConfigurationException(JACKSON, databind, "Courier " + courierVersion + " needs Jackson "
          + jacksonMinimum + " or a later " + minimum[0] + ".x release", fix, null);
    }
  }

  /** Netty's own inventory: every jar's {@code META-INF/io.netty.versions.properties}. */
  static Map<String, String> nettyOnClassPath(ClassLoader loader) {
    Map<String, String> modules = new TreeMap<>();
    try {
      Class.forName("io.netty.util.Version", false, loader);
    } catch (ClassNotFoundException e) {
      return modules;
    }
    Version.identify(loader).forEach((module, v) -> modules.put(module, v.artifactVersion()));
    return modules;
  }

  /** jackson-core and jackson-databind, from their jars' Maven metadata (every copy found). */
  static Map<String, String> jacksonOnClassPath(ClassLoader loader) {
    Map<String, String> modules = new TreeMap<>();
    for (String module : JACKSON_MODULES) {
      List<String> versions = new ArrayList<>();
      try {
        Enumeration<URL> files = loader.getResources("META-INF/maven/tools.jackson.core/" + module
            + "/pom.properties");
        while (files.hasMoreElements()) {
          Properties p = new Properties();
          try (InputStream in = files.nextElement().openStream()) {
            p.load(in);
          }
          String v = p.getProperty("version");
          if (v != null && !versions.contains(v)) {
            versions.add(v);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the Maven metadata of " + module, e);
      }
      if (!versions.isEmpty()) {
        modules.put(module, String.join(", ", versions));
      }
    }
    return modules;
  }

  private static Map<String, List<String>> byVersion(Map<String, String> modules) {
    Map<String, List<String>> byVersion = new TreeMap<>((a, b) -> compare(numbers(b), numbers(a)));
    modules.forEach((module, version) -> byVersion.computeIfAbsent(version, v -> new ArrayList<>()).add(module));
    return byVersion;
  }

  private static String describe(Map<String, List<String>> byVersion) {
    return byVersion.entrySet().stream().map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
        .collect(Collectors.joining(", "));
  }

  /** The leading numbers of a version, three of them ({@code 4.2.18.Final} is 4, 2, 18); missing ones are 0. */
  static int[] numbers(String version) {
    int[] n = new int[3];
    String[] parts = version.split("[.\\-]");
    for (int i = 0; i < n.length && i < parts.length; i++) {
      String digits = parts[i].replaceAll("^(\\d*).*", "$1");
      if (digits.isEmpty()) {
        break;
      }
      n[i] = Integer.parseInt(digits);
    }
    return n;
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }
}
