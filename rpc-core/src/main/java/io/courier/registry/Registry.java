package io.courier.registry;

import java.util.List;

/**
 * Where providers announce themselves and consumers find them. Get one from an address string with
 * {@link Registries#connect(String)} ({@code zookeeper://host:port}, {@code static://host:port,...},
 * {@code embedded}), or build an implementation directly; then hand it to {@code RpcServer.Builder.registry}
 * and {@code RpcClient.Builder.registry}.
 *
 * <pre>{@code
 * try (Registry registry = Registries.connect("zookeeper://127.0.0.1:2181")) {
 *   registry.register(ServiceInstance.builder("acme.Orders").host("10.0.0.7").port("tcp", 7070).build());
 *   Registry.Subscription watch = registry.subscribe("acme.Orders", providers -> System.out.println(providers));
 * }
 * }</pre>
 *
 * <p>Contract for implementations: every method is thread-safe and waits at most the registry's connect timeout.
 * A registry that cannot reach its backend does not make register, unregister or subscribe fail: registrations
 * are made when it is back, and subscribers keep the last providers they were told about. Whoever creates a
 * registry closes it; {@code RpcClient} and {@code RpcServer} close only the registries they created from an
 * address string.
 */
public interface Registry extends AutoCloseable {

  /**
   * Announces {@code instance} until {@link #unregister} or {@link #close}; a registration lost with its session
   * is made again by the registry. Registering the same id again replaces the instance's data.
   *
   * @throws IllegalStateException if the registry is closed
   * @throws RegistryException if the backend refuses the registration (for example ZooKeeper's {@code NoAuth}: this
   *     registry's credentials may not write there); the message says what refused it
   */
  void register(ServiceInstance instance);

  /** Withdraws a registration made by this registry (by id); does nothing if there is none. */
  void unregister(ServiceInstance instance);

  /**
   * Watches the providers of {@code service}. {@code listener} receives the whole current list (every provider
   * of that name, whatever its version, group or transports: the consumer filters) — before this method returns
   * when the list can be known within the connect timeout, and after every change. Calls for one subscription
   * never overlap. Listeners must be quick and must not throw.
   *
   * @return a handle whose {@code close()} stops the notifications
   * @throws IllegalStateException if the registry is closed
   */
  Subscription subscribe(String service, Listener listener);

  /** Where this registry points, for logs and error messages, for example {@code zookeeper://10.0.0.2:2181/courier}. */
  String describe();

  /**
   * Whether the registry's backend can be reached right now, for health checks. Calls never depend on it: while it
   * is {@code false}, consumers keep their last known providers. Registries without a backend (a fixed list) are
   * always connected, which is the default.
   */
  default boolean isConnected() {
    return true;
  }

  /**
   * Withdraws this registry's registrations, stops its subscriptions and releases its connections (and an embedded
   * server it started). Idempotent.
   */
  @Override
  void close();

  /** Receives the full provider list of one service. */
  @FunctionalInterface
  interface Listener {
    /** The providers now registered; an unmodifiable list, possibly empty. */
    void onProviders(List<ServiceInstance> providers);
  }

  /** A running {@link #subscribe subscription}. */
  interface Subscription extends AutoCloseable {
    /** Stops notifications; idempotent. */
    @Override
    void close();
  }
}
