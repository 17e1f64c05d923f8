package io.courier.spring.internal.actuate;

import io.courier.registry.Registry;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.spring.internal.Stubs;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health {@code courier}: DOWN when the application exports services but its server is not running; UP otherwise.
 * Details: the registry and whether it is connected, the server's addresses and how many of its services are
 * registered, and per reference the number of providers it sees. A lost registry connection or a reference without
 * providers is shown but does not make the application DOWN: calls go on against the last known providers, and
 * restarting this application would not bring providers back.
 */
public final class CourierHealthIndicator extends AbstractHealthIndicator {

  private final ObjectProvider<ServerLifecycle> server;
  private final ObjectProvider<Stubs> stubs;
  private final ObjectProvider<Registry> registry;

  public CourierHealthIndicator(ObjectProvider<ServerLifecycle> server, ObjectProvider<Stubs> stubs,
      ObjectProvider<Registry> registry) {
    super("Courier health check failed");
    this.server = server;
    this.stubs = stubs;
    this.registry = registry;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    CourierSnapshot s = CourierSnapshot.of(server.getIfAvailable(), stubs.getIfAvailable(), registry.getIfAvailable());
    builder.up();
    if (s.registry() != null) {
      builder.withDetail("registry", Map.of("address", s.registry().address(), "connected",
          s.registry().connected()));
    }
    if (s.server() != null && !s.server().services().isEmpty()) {
      if (!s.server().running()) {
        builder.down();
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("running", s.server().running());
      details.put("addresses", s.server().addresses());
      details.put("services", s.server().services().size());
      details.put("registered", s.server().services().stream().filter(CourierSnapshot.ExportState::registered)
          .count());
      builder.withDetail("server", details);
    }
    if (!s.references().isEmpty()) {
      Map<String, Integer> providers = new LinkedHashMap<>();
      for (CourierSnapshot.ReferenceState r : s.references()) {
        String key = r.service() + (r.version().isEmpty() ? "" : ":" + r.version())
            + (r.group().isEmpty() ? "" : "@" + r.group());
        providers.merge(key, r.providers().size(), Math::max);
      }
      builder.withDetail("providers", providers);
    }
  }
}
