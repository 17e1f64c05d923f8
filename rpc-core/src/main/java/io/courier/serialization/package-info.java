/**
 * The serializer SPI and what keeps reading hostile bytes safe: {@link io.courier.serialization.Serializer} (writes
 * into and reads from Netty {@code ByteBuf}s), {@code SerializerProvider} (found with {@code ServiceLoader}), {@code
 * SerializerSet} (the serializers of one client or server, by name and by wire id), {@code TypeAllowlist}, {@code
 * ReadBudget}, {@code UnsupportedTypes} and {@code SerializationException}. The formats themselves live in {@code
 * rpc-serialization}'s modules, never here. It must not depend on any other Courier package (of Netty, only its
 * buffers): a serializer knows types and bytes, not calls, transports or servers.
 */
package io.courier.serialization;
