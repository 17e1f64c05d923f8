package io.courier.internal.cluster;

import io.courier.cluster.Provider;
import io.courier.common.Endpoint;
import io.courier.common.ServiceDescriptor;
import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import io.courier.transport.ClientTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Providers from a {@link Registry}: one view per {@link ServiceKey} (a service with the version and group its stubs
 * want), opened when the first stub of it is created; views of one service share nothing but the registry. Keeps the
 * providers whose version and group match the key and that offer the client's transport. When an endpoint is no
 * longer a provider of any service, tells the transport to let its connections go. A list with no usable provider
 * that follows one with some is not applied: the last known providers stay until the registry lists one again (see
 * {@link #update}). Invariant: a view's providers and endpoints change only under {@code lock}, so the endpoint
 * bookkeeping across services is consistent.
 */
public final class RegistryDirectory implements ProviderDirectory {

  private static final Logger log = LoggerFactory.getLogger(RegistryDirectory.class);

  private final Registry registry;
  private final boolean ownsRegistry;
  private final String transportName;
  private final ClientTransport transport;
  private final HealthTable health;
  private final LongSupplier clock;
  private final String consumerHost;
  private final Map<ServiceKey, View> views = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private boolean closed; // guarded by lock

  /**
   * @param ownsRegistry whether {@link #close()} closes the registry (it was created from an address string)
   * @param consumerHost the host to register this client under as a consumer of each service, or {@code null}
   */
  public RegistryDirectory(Registry registry, boolean ownsRegistry, String transportName, ClientTransport transport,
      HealthTable health, LongSupplier clock, String consumerHost) {
    this.registry = registry;
    this.ownsRegistry = ownsRegistry;
    this.transportName = transportName;
    this.transport = transport;
    this.health = health;
    this.clock = clock;
    this.consumerHost = consumerHost;
  }

  @Override
  public void subscribe(ServiceKey key) {
    View view;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the client's registry view is closed");
      }
      view = views.get(key);
      if (view == null) {
        view = new View(key);
        views.put(key, view);
      }
    }
    // Subscribe outside the directory lock: the registry may deliver the first list from its own thread while this
    // one waits, and delivering takes the lock. A second caller for the same service waits on the view instead.
    synchronized (view) {
      if (view.subscription != null) {
        return;
      }
      view.subscription = registry.subscribe(key.service().name(), view);
      if (consumerHost != null) {
        ServiceInstance consumer = ServiceInstance.builder(key.service().name()).role(ServiceInstance.Role.CONSUMER)
            .version(key.version()).group(key.group()).host(consumerHost)
            .metadata("transport", transportName).build();
        registry.register(consumer);
        view.consumer = consumer;
      }
    }
  }

  @Override
  public List<Provider> providers(ServiceKey key) {
    View view = views.get(key);
    return view == null ? List.of() : view.providers;
  }

  @Override
  public String explain(ServiceKey key) {
    View view = views.get(key);
    return registry.describe() + (view == null ? " was not asked" : ": " + view.explanation);
  }

  @Override
  public String describe() {
    return "registry " + registry.describe();
  }

  @Override
  public void close() {
    List<View> all;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(views.values());
    }
    for (View view : all) {
      synchronized (view) {
        try {
          if (view.subscription != null) {
            view.subscription.close();
          }
          if (view.consumer != null) {
            registry.unregister(view.consumer);
          }
        } catch (RuntimeException e) {
          log.warn("stopping the subscription to {} in {} failed", view.key, registry.describe(), e);
        }
      }
    }
    if (ownsRegistry) {
      registry.close();
    }
  }

  /**
   * Applies a list from the registry. An empty result after a non-empty one is the exception: registrations blink
   * out for a moment in normal operation — a provider whose ZooKeeper session expired creates its node again a few
   * milliseconds after the ensemble deleted it — and applying "no provider" would fail every call made in that
   * moment, with nothing to retry. So the last known providers are kept (a warning says so) until the registry lists
   * one again; if they are really gone, calls to them fail as unreachable and outlier detection ejects them, which is
   * what a caller would see with no provider at all.
   */
  private void update(View view, List<ServiceInstance> instances) {
    ServiceKey key = view.key;
    ServiceDescriptor service = key.service();
    Map<Endpoint, ServiceInstance> chosen = new LinkedHashMap<>();
    int otherVersion = 0;
    int otherGroup = 0;
    int noTransport = 0;
    Set<String> offered = new LinkedHashSet<>();
    for (ServiceInstance instance : instances) {
      if (instance.role() != ServiceInstance.Role.PROVIDER || !instance.service().equals(service.name())) {
        continue;
      }
      if (!instance.version().equals(key.version()) && !instance.version().equals(ServiceInstance.ANY)) {
        otherVersion++;
        continue;
      }
      if (!instance.group().equals(key.group()) && !instance.group().equals(ServiceInstance.ANY)) {
        otherGroup++;
        continue;
      }
      Endpoint endpoint = instance.endpoint(transportName);
      if (endpoint == null) {
        noTransport++;
        offered.addAll(instance.ports().keySet());
        continue;
      }
      ServiceInstance previous = chosen.get(endpoint);
      if (previous == null || instance.startTime().isAfter(previous.startTime())) {
        chosen.put(endpoint, instance); // the same address twice: a restarted provider; the newer one wins
      }
    }
    StringBuilder why = new StringBuilder().append(instances.size()).append(" registered");
    if (otherVersion > 0) {
      why.append(", ").append(otherVersion).append(" of another version than '").append(key.version()).append('\'');
    }
    if (otherGroup > 0) {
      why.append(", ").append(otherGroup).append(" of another group than '").append(key.group()).append('\'');
    }
    if (noTransport > 0) {
      why.append(", ").append(noTransport).append(" not offering transport '").append(transportName)
          .append("' (they offer ").append(offered).append(')');
    }
    List<Provider> providers = new ArrayList<>(chosen.size());
    boolean initial = view.providers.isEmpty();
    for (Map.Entry<Endpoint, ServiceInstance> e : chosen.entrySet()) {
      ServiceInstance instance = e.getValue();
      ServiceInstance before = view.registrations.get(e.getKey());
      boolean replaced = before != null && instance.startTime().isAfter(before.startTime());
      providers.add(new ProviderEntry(e.getKey(), instance.weight(), instance.metadata(),
          health.get(e.getKey(), instance, replaced, initial), clock));
    }
    if (providers.isEmpty() && !view.providers.isEmpty()) {
      boolean first;
      synchronized (lock) {
        first = !view.keepingLastKnown;
        view.keepingLastKnown = true;
        view.explanation = why + "; the last known providers are kept until it lists one again";
      }
      if (first) {
        log.warn("{} lists no usable provider of {} any more ({}); calls keep going to the last known {} until it"
            + " lists one again", registry.describe(), service, why, view.endpoints);
      }
      return;
    }
    if (view.keepingLastKnown) {
      view.keepingLastKnown = false;
      log.info("{} lists providers of {} again", registry.describe(), service);
    }
    List<Endpoint> gone = new ArrayList<>();
    Set<Endpoint> before;
    synchronized (lock) {
      before = view.endpoints;
      view.providers = List.copyOf(providers);
      view.endpoints = Set.copyOf(chosen.keySet());
      view.registrations = Map.copyOf(chosen);
      view.explanation = why.toString();
      for (Endpoint endpoint : before) {
        if (!chosen.containsKey(endpoint) && views.values().stream().noneMatch(v -> v.endpoints.contains(endpoint))) {
          gone.add(endpoint);
          health.remove(endpoint);
        }
      }
    }
    if (!before.equals(chosen.keySet())) {
      log.info("providers of {} over {}: {} ({})", key, transportName, chosen.keySet(), why);
    }
    for (Endpoint endpoint : gone) {
      transport.disconnect(endpoint);
    }
  }

  /** One service's subscription and current providers. */
  private final class View implements Registry.Listener {
    final ServiceKey key;
    volatile List<Provider> providers = List.of();
    volatile Set<Endpoint> endpoints = Set.of();
    volatile Map<Endpoint, ServiceInstance> registrations = Map.of(); // the registration behind each provider
    volatile String explanation = "no list received yet";
    volatile boolean keepingLastKnown; // the registry listed none after listing some; written by the delivery only
    Registry.Subscription subscription; // guarded by this view
    ServiceInstance consumer; // guarded by this view

    View(ServiceKey key) {
      this.key = key;
    }

    @Override
    public void onProviders(List<ServiceInstance> instances) {
      try {
        update(this, instances);
      } catch (RuntimeException e) {
        log.warn("could not apply the providers of {} from {}; keeping the previous list", key,
            registry.describe(), e);
      }
    }
  }
}
