package io.courier.internal.cluster;

import io.courier.cluster.Provider;
import java.util.List;

/**
 * The providers of each service a client calls: a fixed list, or what a registry reports. Services are asked for by
 * {@link ServiceKey}: a service with the version and group a stub wants.
 */
public interface ProviderDirectory extends AutoCloseable {

  /**
   * Starts watching the providers {@code key} names; called when a stub is created, before its first call. May wait for
   * a list.
   */
  void subscribe(ServiceKey key);

  /** The providers right now; a snapshot that never blocks and is never modified afterwards. */
  List<Provider> providers(ServiceKey key);

  /** Why {@code key} has the providers it has, for the error when it has none. */
  String explain(ServiceKey key);

  /** Where providers come from, for stubs' {@code toString} and messages. */
  String describe();

  @Override
  void close();
}
