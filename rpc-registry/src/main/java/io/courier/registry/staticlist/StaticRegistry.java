package io.courier.registry.staticlist;

import io.courier.common.Endpoint;
import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A fixed list of provider addresses, for small deployments and tests: every service is provided at every address,
 * whatever its version or group. Registrations are accepted and ignored. Address {@code static://host:port,host:port}
 * ({@code ?transport=tcp} to offer the addresses for one transport only; by default for any).
 *
 * <pre>{@code
 * RpcClient client = RpcClient.builder().registry("static://10.0.0.7:7070,10.0.0.8:7070").build();
 * }</pre>
 */
public final class StaticRegistry implements Registry {

  private final List<Endpoint> endpoints;
  private final String transport;
  private volatile boolean closed;

  private StaticRegistry(List<Endpoint> endpoints, String transport) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("a static registry needs at least one address (expected:"
          + " static://host:port[,host:port])");
    }
    this.endpoints = List.copyOf(endpoints);
    this.transport = transport;
  }

  /** Providers at {@code endpoints}, for any transport. */
  public static StaticRegistry of(List<Endpoint> endpoints) {
    return new StaticRegistry(endpoints, ServiceInstance.ANY);
  }

  /** Providers at {@code endpoints}, offering only {@code transport}. */
  public static StaticRegistry of(String transport, List<Endpoint> endpoints) {
    return new StaticRegistry(endpoints, Objects.requireNonNull(transport, "transport"));
  }

  /** Does nothing: the list is fixed. */
  @Override
  public void register(ServiceInstance instance) {
    checkOpen();
  }

  /** Does nothing: the list is fixed. */
  @Override
  public void unregister(ServiceInstance instance) {}

  /** Tells {@code listener} the fixed list at once; it never changes. */
  @Override
  public Subscription subscribe(String service, Listener listener) {
    checkOpen();
    listener.onProviders(providers(service));
    return () -> { };
  }

  /** The instances every service is given: one per address. */
  public List<ServiceInstance> providers(String service) {
    List<ServiceInstance> instances = new ArrayList<>(endpoints.size());
    for (Endpoint e : endpoints) {
      instances.add(ServiceInstance.builder(service)
          .id("static_" + e.host().replaceAll("[^A-Za-z0-9.-]", "_") + "_" + e.port())
          .version(ServiceInstance.ANY).group(ServiceInstance.ANY)
          .host(e.host()).port(transport, e.port()).build());
    }
    return List.copyOf(instances);
  }

  @Override
  public String describe() {
    return "static://" + endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(","))
        + (transport.equals(ServiceInstance.ANY) ? "" : "?transport=" + transport);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(describe() + " is closed");
    }
  }
}
