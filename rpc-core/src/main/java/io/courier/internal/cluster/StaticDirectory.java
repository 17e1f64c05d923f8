package io.courier.internal.cluster;

import io.courier.client.EndpointSource;
import io.courier.cluster.Provider;
import io.courier.common.Endpoint;
import io.courier.common.ServiceDescriptor;
import io.courier.registry.ServiceInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/**
 * Providers from an {@link EndpointSource} (the builder's {@code address(...)} list, or a user's source): every
 * endpoint weighs {@value ServiceInstance#DEFAULT_WEIGHT}. A fixed list knows no versions or groups, so every
 * {@link ServiceKey} of a service gets the same providers. Invariant: the cached providers of a service belong to the
 * exact list object the source last returned.
 */
public final class StaticDirectory implements ProviderDirectory {

  private record Cached(List<Endpoint> endpoints, List<Provider> providers) {}

  private final EndpointSource source;
  private final HealthTable health;
  private final LongSupplier clock;
  private final Map<ServiceDescriptor, Cached> cache = new ConcurrentHashMap<>();

  public StaticDirectory(EndpointSource source, HealthTable health, LongSupplier clock) {
    this.source = source;
    this.health = health;
    this.clock = clock;
  }

  @Override
  public void subscribe(ServiceKey key) {}

  @Override
  public List<Provider> providers(ServiceKey key) {
    ServiceDescriptor service = key.service();
    List<Endpoint> endpoints = source.endpoints(service);
    Cached cached = cache.get(service);
    if (cached != null && cached.endpoints() == endpoints) {
      return cached.providers();
    }
    List<Provider> providers = new ArrayList<>(endpoints.size());
    for (Endpoint e : endpoints) {
      providers.add(new ProviderEntry(e, ServiceInstance.DEFAULT_WEIGHT, Map.of(), health.get(e, cached == null),
          clock));
    }
    List<Provider> result = List.copyOf(providers);
    cache.put(service, new Cached(endpoints, result));
    return result;
  }

  @Override
  public String explain(ServiceKey key) {
    return source.describe() + " lists none";
  }

  @Override
  public String describe() {
    return source.describe();
  }

  @Override
  public void close() {
    try {
      source.close();
    } catch (Exception e) {
      LoggerFactory.getLogger(StaticDirectory.class).warn("closing {} failed", source.describe(), e);
    }
  }
}
