/**
 * {@code static://host:port,...}: a fixed list of provider addresses as a {@link io.courier.registry.Registry}, for
 * small deployments and tests — every service is provided at every address, whatever its version or group, and
 * registrations are accepted and ignored. It implements the {@code io.courier.registry} SPI with {@code
 * io.courier.common} and must depend on nothing else of Courier's.
 */
package io.courier.registry.staticlist;
