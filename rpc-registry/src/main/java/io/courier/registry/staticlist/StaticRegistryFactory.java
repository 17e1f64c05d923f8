package io.courier.registry.staticlist;

import io.courier.common.Endpoint;
import io.courier.registry.Registry;
import io.courier.registry.RegistryAddress;
import io.courier.registry.RegistryFactory;
import java.util.ArrayList;
import java.util.List;

/** Scheme {@code static}: {@code static://host:port[,host:port...][?transport=tcp]}. */
public final class StaticRegistryFactory implements RegistryFactory {

  @Override
  public String scheme() {
    return "static";
  }

  @Override
  public Registry create(RegistryAddress address) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String host : address.hosts()) {
      try {
        endpoints.add(Endpoint.parse(host));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("registry address '" + address + "': " + e.getMessage(), e);
      }
    }
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("registry address '" + address + "' lists no provider (expected:"
          + " static://host:port[,host:port])");
    }
    String transport = address.parameter("transport", null);
    return transport == null || transport.isBlank() ? StaticRegistry.of(endpoints)
        : StaticRegistry.of(transport.trim(), endpoints);
  }
}
