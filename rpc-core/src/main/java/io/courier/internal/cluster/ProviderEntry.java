package io.courier.internal.cluster;

import io.courier.cluster.Provider;
import io.courier.common.Endpoint;
import java.util.Map;
import java.util.function.LongSupplier;

/** A provider as the cluster layer hands it to balancers: discovery's view plus the endpoint's shared health. */
final class ProviderEntry implements Provider {

  private final Endpoint endpoint;
  private final int weight;
  private final Map<String, String> metadata;
  private final EndpointHealth health;
  private final LongSupplier clock;

  ProviderEntry(Endpoint endpoint, int weight, Map<String, String> metadata, EndpointHealth health,
      LongSupplier clock) {
    this.endpoint = endpoint;
    this.weight = weight;
    this.metadata = metadata;
    this.health = health;
    this.clock = clock;
  }

  EndpointHealth health() {
    return health;
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public int weight() {
    return weight;
  }

  @Override
  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public int inFlight() {
    return health.inFlight();
  }

  @Override
  public long latencyNanos() {
    return health.latencyNanos(clock.getAsLong());
  }

  @Override
  public double slowStartFactor() {
    return health.slowStartFactor(clock);
  }

  @Override
  public int consecutiveFailures() {
    return health.consecutiveFailures();
  }

  @Override
  public String toString() {
    return endpoint.toString();
  }
}
