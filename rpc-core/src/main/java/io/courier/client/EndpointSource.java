package io.courier.client;

import io.courier.common.Endpoint;
import io.courier.common.ServiceDescriptor;
import java.util.List;

/**
 * Supplies the current providers of each service: a fixed address list, or the view of a registry. Called on
 * every call, so implementations return a cached snapshot and never block.
 */
public interface EndpointSource extends AutoCloseable {

  /** The providers of {@code service} right now; empty if none are known. */
  List<Endpoint> endpoints(ServiceDescriptor service);

  /** A human-readable description for error messages, for example {@code "static 10.0.0.1:7070"}. */
  String describe();

  @Override
  default void close() {}

  /** The same fixed providers for every service. */
  static EndpointSource of(List<Endpoint> endpoints) {
    List<Endpoint> fixed = List.copyOf(endpoints);
    return new EndpointSource() {
      @Override
      public List<Endpoint> endpoints(ServiceDescriptor service) {
        return fixed;
      }

      @Override
      public String describe() {
        return "addresses " + fixed;
      }
    };
  }
}
