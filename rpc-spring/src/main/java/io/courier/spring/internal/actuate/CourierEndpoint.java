package io.courier.spring.internal.actuate;

import io.courier.registry.Registry;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.spring.internal.Stubs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/courier}: the registry, the server's addresses, every exported service with its bean and whether
 * it is registered, and every reference with its options, injection points and the providers it sees. Expose it
 * with {@code management.endpoints.web.exposure.include=health,courier}.
 */
@Endpoint(id = "courier")
public final class CourierEndpoint {

  private final ObjectProvider<ServerLifecycle> server;
  private final ObjectProvider<Stubs> stubs;
  private final ObjectProvider<Registry> registry;

  public CourierEndpoint(ObjectProvider<ServerLifecycle> server, ObjectProvider<Stubs> stubs,
      ObjectProvider<Registry> registry) {
    this.server = server;
    this.stubs = stubs;
    this.registry = registry;
  }

  @ReadOperation
  public CourierSnapshot courier() {
    return CourierSnapshot.of(server.getIfAvailable(), stubs.getIfAvailable(), registry.getIfAvailable());
  }
}
