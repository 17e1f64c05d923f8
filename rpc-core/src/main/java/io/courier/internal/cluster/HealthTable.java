package io.courier.internal.cluster;

import io.courier.common.Endpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The health of every endpoint a client knows, shared by all its services; entries go when discovery drops them. */
public final class HealthTable {

  private final Map<Endpoint, EndpointHealth> byEndpoint = new ConcurrentHashMap<>();

  EndpointHealth get(Endpoint endpoint) {
    return byEndpoint.computeIfAbsent(endpoint, EndpointHealth::new);
  }

  void remove(Endpoint endpoint) {
    byEndpoint.remove(endpoint);
  }

  @Override
  public String toString() {
    return byEndpoint.values().toString();
  }
}
