package io.courier;

import io.courier.registry.Registry;
import io.courier.registry.RegistryAddress;
import io.courier.registry.RegistryFactory;
import io.courier.registry.ServiceInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry in a map, for core tests of the wiring above any real registry; it records what was asked of it.
 * Scheme {@code memory://name}: every address with the same name gets the same registry until it is closed.
 */
public final class InMemoryRegistry implements Registry {

  /** Registries created from addresses, by name. */
  public static final Map<String, InMemoryRegistry> BY_NAME = new ConcurrentHashMap<>();

  private final String name;
  private final Map<String, ServiceInstance> instances = new LinkedHashMap<>(); // guarded by this
  private final Map<String, List<Listener>> listeners = new LinkedHashMap<>(); // guarded by this
  public final List<String> events = new CopyOnWriteArrayList<>();
  public volatile boolean closed;

  public InMemoryRegistry(String name) {
    this.name = name;
  }

  @Override
  public void register(ServiceInstance instance) {
    check();
    synchronized (this) {
      instances.put(instance.id(), instance);
    }
    events.add("register " + instance.role() + " " + instance.service());
    notify(instance.service());
  }

  @Override
  public void unregister(ServiceInstance instance) {
    ServiceInstance removed;
    synchronized (this) {
      removed = instances.remove(instance.id());
    }
    if (removed != null) {
      events.add("unregister " + instance.role() + " " + instance.service());
      notify(instance.service());
    }
  }

  @Override
  public Subscription subscribe(String service, Listener listener) {
    check();
    synchronized (this) {
      listeners.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>()).add(listener);
    }
    events.add("subscribe " + service);
    listener.onProviders(providers(service));
    return () -> {
      synchronized (this) {
        listeners.getOrDefault(service, List.of()).remove(listener);
      }
      events.add("unsubscribe " + service);
    };
  }

  /** Every registration, providers and consumers. */
  public synchronized List<ServiceInstance> instances() {
    return List.copyOf(instances.values());
  }

  public synchronized int listenerCount() {
    return listeners.values().stream().mapToInt(List::size).sum();
  }

  @Override
  public String describe() {
    return "memory://" + name;
  }

  @Override
  public void close() {
    closed = true;
    events.add("close");
    BY_NAME.remove(name, this);
  }

  private synchronized List<ServiceInstance> providers(String service) {
    List<ServiceInstance> result = new ArrayList<>();
    for (ServiceInstance i : instances.values()) {
      if (i.service().equals(service) && i.role() == ServiceInstance.Role.PROVIDER) {
        result.add(i);
      }
    }
    return List.copyOf(result);
  }

  private void notify(String service) {
    List<Listener> toCall;
    synchronized (this) {
      toCall = new ArrayList<>(listeners.getOrDefault(service, List.of()));
    }
    List<ServiceInstance> current = providers(service);
    toCall.forEach(l -> l.onProviders(current));
  }

  private void check() {
    if (closed) {
      throw new IllegalStateException(describe() + " is closed");
    }
  }

  /** Scheme {@code memory}. */
  public static final class Factory implements RegistryFactory {
    @Override
    public String scheme() {
      return "memory";
    }

    @Override
    public Registry create(RegistryAddress address) {
      String name = address.hosts().isEmpty() ? "default" : address.hosts().get(0);
      return BY_NAME.computeIfAbsent(name, InMemoryRegistry::new);
    }
  }
}
