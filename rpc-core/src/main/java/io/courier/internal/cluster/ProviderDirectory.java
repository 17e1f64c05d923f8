package io.courier.internal.cluster;

import io.courier.cluster.Provider;
import io.courier.common.ServiceDescriptor;
import java.util.List;

/** The providers of each service a client calls: a fixed list, or what a registry reports. */
public interface ProviderDirectory extends AutoCloseable {

  /** Starts watching {@code service}; called when a stub is created, before its first call. May wait for a list. */
  void subscribe(ServiceDescriptor service);

  /** The providers right now; a snapshot that never blocks and is never modified afterwards. */
  List<Provider> providers(ServiceDescriptor service);

  /** Why {@code service} has the providers it has, for the error when it has none. */
  String explain(ServiceDescriptor service);

  /** Where providers come from, for stubs' {@code toString} and messages. */
  String describe();

  @Override
  void close();
}
