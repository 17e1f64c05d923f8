package io.courier.spring.internal;

import io.courier.client.RpcClient;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.ClusterOptions;
import io.courier.common.CallOptions;
import io.courier.spring.RpcReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

/**
 * The stubs this application injects: one per distinct reference (an interface with its resolved options), made by
 * the shared {@code RpcClient} on first use and remembered with every place it was injected into, for the actuator
 * endpoint and health. Invariant: a stub is made at most once per reference.
 */
public final class Stubs {

  /** How stub beans of {@code @EnableCourierClients} name where they are injected. */
  public static final String SCANNED = "@EnableCourierClients";

  private final ObjectProvider<RpcClient> clients;
  private final Environment environment;
  private final Map<Reference, Entry> entries = new ConcurrentHashMap<>();

  /** One distinct reference: the interface and the resolved attributes of its {@code @RpcReference} ("" if unset). */
  public record Reference(Class<?> type, String timeout, String loadBalancer, String clusterMode, int maxAttempts,
      String version, String group, String serializer) {

    /** The options set, as {@code name=value} pairs, for display. */
    public Map<String, String> options() {
      Map<String, String> set = new LinkedHashMap<>();
      put(set, "timeout", timeout);
      put(set, "loadBalancer", loadBalancer);
      put(set, "clusterMode", clusterMode);
      put(set, "maxAttempts", maxAttempts == 0 ? "" : Integer.toString(maxAttempts));
      put(set, "version", version);
      put(set, "group", group);
      put(set, "serializer", serializer);
      return set;
    }

    private static void put(Map<String, String> map, String name, String value) {
      if (!value.isEmpty()) {
        map.put(name, value);
      }
    }
  }

  /** A stub and everywhere it was injected. */
  public record Entry(Reference reference, Object stub, Set<String> injectedInto) {}

  public Stubs(ObjectProvider<RpcClient> clients, Environment environment) {
    this.clients = clients;
    this.environment = environment;
  }

  /**
   * The stub for {@code type} with the options of {@code annotation} (or none), made on first use.
   *
   * @param injectionPoint where it goes, for messages and the actuator endpoint
   * @throws CourierConfigurationException naming the injection point or property at fault
   */
  public Object stub(Class<?> type, RpcReference annotation, String injectionPoint) {
    String where = annotation == null ? injectionPoint : "@RpcReference on " + injectionPoint;
    if (!type.isInterface()) {
      throw new CourierConfigurationException(where, type.getName(), "is not an interface",
          "Declare the field or parameter with the @RpcService interface type; stubs are JDK proxies.", null);
    }
    Reference reference = resolve(type, annotation, where);
    Entry entry = entries.get(reference);
    if (entry == null) {
      entry = entries.computeIfAbsent(reference, r -> new Entry(r, create(r, where), new CopyOnWriteArraySet<>()));
    }
    entry.injectedInto().add(injectionPoint);
    return entry.stub();
  }

  /** Every stub made so far, in no particular order. */
  public List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  /** The shared client, or {@code null} if the application has none. */
  public RpcClient client() {
    return clients.getIfAvailable();
  }

  private Object create(Reference reference, String where) {
    RpcClient client = clients.getIfAvailable();
    if (client == null) {
      throw new CourierConfigurationException("courier.registry.address", null, "no RpcClient to make the stub of "
          + reference.type().getName() + " for " + where + ": neither a registry nor provider addresses are configured",
          "Set courier.registry.address (zookeeper://host:2181, or embedded for a demo) or courier.client.addresses,"
              + " or define an RpcClient bean; and leave courier.client.enabled true.", null);
    }
    CallOptions options = options(reference, where);
    try {
      return client.create(reference.type(), options);
    } catch (IllegalArgumentException e) {
      throw new CourierConfigurationException(where, reference.type().getName(), e.getMessage(),
          "Fix the interface or the reference's options as the message says (names available are listed in it).",
          e);
    }
  }

  private Reference resolve(Class<?> type, RpcReference a, String where) {
    if (a == null) {
      return new Reference(type, "", "", "", 0, "", "", "");
    }
    if (a.maxAttempts() < 0) {
      throw new CourierConfigurationException(where + " (maxAttempts)", a.maxAttempts(), "is negative",
          "Use 0 for the default or a positive number of attempts.", null);
    }
    return new Reference(type, text(a.timeout()), text(a.loadBalancer()), text(a.clusterMode()), a.maxAttempts(),
        text(a.version()), text(a.group()), text(a.serializer()));
  }

  private String text(String attribute) {
    return environment.resolvePlaceholders(attribute).trim();
  }

  private static CallOptions options(Reference r, String where) {
    CallOptions options = CallOptions.DEFAULT;
    if (!r.timeout().isEmpty()) {
      Duration timeout;
      try {
        timeout = DurationStyle.detectAndParse(r.timeout());
      } catch (IllegalArgumentException e) {
        throw new CourierConfigurationException(where + " (timeout)", r.timeout(), "is not a duration",
            "Write it as 500ms, 2s, 1m or ISO-8601 (PT2S).", e);
      }
      if (timeout.isZero() || timeout.isNegative()) {
        throw new CourierConfigurationException(where + " (timeout)", r.timeout(), "is not positive",
            "Use a timeout above zero, or leave it empty for courier.client.default-timeout.", null);
      }
      options = options.withTimeout(timeout);
    }
    if (!r.serializer().isEmpty()) {
      options = options.withSerializer(r.serializer());
    }
    if (!r.loadBalancer().isEmpty()) {
      options = options.with(ClusterOptions.LOAD_BALANCER, r.loadBalancer());
    }
    if (!r.clusterMode().isEmpty()) {
      options = options.with(ClusterOptions.MODE, clusterMode(r.clusterMode(), where));
    }
    if (r.maxAttempts() > 0) {
      options = options.with(ClusterOptions.MAX_ATTEMPTS, r.maxAttempts());
    }
    if (!r.version().isEmpty()) {
      options = options.with(ClusterOptions.VERSION, r.version());
    }
    if (!r.group().isEmpty()) {
      options = options.with(ClusterOptions.GROUP, r.group());
    }
    return options;
  }

  private static ClusterMode clusterMode(String name, String where) {
    try {
      return ClusterMode.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new CourierConfigurationException(where + " (clusterMode)", name, "is not a cluster mode",
          "Use one of " + Arrays.stream(ClusterMode.values()).map(m -> m.name().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", ")) + ".", e);
    }
  }
}
