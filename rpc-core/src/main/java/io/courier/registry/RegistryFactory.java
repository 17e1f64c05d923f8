package io.courier.registry;

/**
 * Creates registries for one address scheme. Implementations are listed in
 * {@code META-INF/services/io.courier.registry.RegistryFactory} and chosen by {@link Registries#connect(String)}.
 *
 * <pre>{@code
 * public final class EtcdRegistryFactory implements RegistryFactory {
 *   public String scheme() { return "etcd"; }
 *   public Registry create(RegistryAddress address) { return new EtcdRegistry(address.hosts()); }
 * }
 * }</pre>
 */
public interface RegistryFactory {

  /** The scheme it handles, lower case, for example {@code "zookeeper"}. */
  String scheme();

  /**
   * A connected registry; the caller owns it and closes it.
   *
   * @throws IllegalArgumentException if the address is malformed for this scheme; the message shows the form
   * @throws RegistryException if the backend cannot be reached
   */
  Registry create(RegistryAddress address);
}
