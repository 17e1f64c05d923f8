/**
 * The discovery SPI: {@link io.courier.registry.Registry} (register and deregister {@code ServiceInstance}s, watch a
 * service's providers), {@code RegistryFactory}s found with {@code ServiceLoader} by the scheme of a {@code
 * RegistryAddress}, {@code Registries.connect} and {@code RegistryException}. The implementations (ZooKeeper, static
 * lists, an embedded ZooKeeper) are in {@code rpc-registry}. It depends on {@code io.courier.common} only: a registry
 * knows services, hosts and ports, never the clients, servers, transports or cluster layer that use it.
 */
package io.courier.registry;
