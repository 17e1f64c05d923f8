package io.courier.internal.console;

import io.courier.client.InternalClients;
import io.courier.client.RpcClient;
import io.courier.common.Endpoint;
import io.courier.common.ServiceDescriptor;
import io.courier.internal.cluster.HealthTable;
import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's view of the registry: the providers of each exported service, kept up to date by one subscription
 * per service name (every version and group), and written as {@code GET api/providers} answers them, with what the
 * console's try-it client has seen of each (health, ejection, calls in flight). Thread-safe.
 */
final class ConsoleProviders implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsoleProviders.class);

  private final Map<String, List<ServiceInstance>> byService = new ConcurrentHashMap<>();
  private final List<Registry.Subscription> subscriptions = new ArrayList<>();

  ConsoleProviders(Registry registry, List<ServiceDescriptor> services) {
    Set<String> names = new LinkedHashSet<>();
    services.forEach(s -> names.add(s.name()));
    for (String name : names) {
      byService.put(name, List.of());
      try {
        subscriptions.add(registry.subscribe(name, providers -> byService.put(name, List.copyOf(providers))));
      } catch (RuntimeException e) {
        log.warn("the console could not watch the providers of {} in {}; it shows none", name, registry.describe(),
            e);
      }
    }
  }

  /** The providers of {@code service} as JSON, newest registration last. */
  List<Object> toJson(String service, ConsoleHandler.Host host, RpcClient client) {
    List<Object> json = new ArrayList<>();
    for (ServiceInstance instance : byService.getOrDefault(service, List.of())) {
      if (instance.role() != ServiceInstance.Role.PROVIDER) {
        continue;
      }
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("address", instance.host());
      p.put("ports", instance.ports());
      p.put("weight", instance.weight());
      p.put("version", instance.version());
      p.put("group", instance.group());
      p.put("serializers", instance.serializers());
      p.put("metadata", instance.metadata());
      p.put("startTime", instance.startTime() == null ? null : instance.startTime().toString());
      p.put("self", host.isSelf(instance.host(), instance.ports()));
      Endpoint endpoint = client == null ? null : instance.endpoint(client.transportName());
      health(p, client, endpoint);
      json.add(p);
    }
    return json;
  }

  /** Without a registry: this server alone, as a provider entry. */
  static List<Object> selfJson(ConsoleHandler.Host host, String[] versionAndGroup, RpcClient client) {
    Map<String, Object> p = new LinkedHashMap<>();
    Map<String, Integer> ports = new LinkedHashMap<>();
    String address = null;
    for (Map.Entry<String, InetSocketAddress> e : host.addresses().entrySet()) {
      ports.putIfAbsent(e.getKey(), e.getValue().getPort());
      address = address != null ? address : e.getValue().getHostString();
    }
    p.put("address", address);
    p.put("ports", ports);
    p.put("version", versionAndGroup[0]);
    p.put("group", versionAndGroup[1]);
    p.put("self", true);
    health(p, client, client == null ? null : host.selfEndpoint(client.transportName()));
    return List.of(p);
  }

  private static void health(Map<String, Object> p, RpcClient client, Endpoint endpoint) {
    HealthTable.View view = client == null || endpoint == null ? null : InternalClients.health(client, endpoint);
    p.put("health", view == null || !view.answered() && view.consecutiveFailures() == 0 ? "UNKNOWN"
        : view.consecutiveFailures() > 0 ? "FAILING" : "SERVING");
    p.put("ejected", view != null && view.ejected());
    p.put("inFlight", view == null ? 0 : view.inFlight());
    p.put("consecutiveFailures", view == null ? 0 : view.consecutiveFailures());
  }

  @Override
  public void close() {
    for (Registry.Subscription s : subscriptions) {
      try {
        s.close();
      } catch (RuntimeException e) {
        log.debug("closing a console subscription failed", e);
      }
    }
  }
}
