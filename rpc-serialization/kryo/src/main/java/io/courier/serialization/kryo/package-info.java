/**
 * The Kryo format ({@code "kryo"}, wire id 1, module {@code courier-serialization-kryo}, found with {@code
 * ServiceLoader} through {@code KryoSerializerProvider}): {@link io.courier.serialization.kryo.KryoSerializer} and its
 * hardened {@code CourierKryo}, which resolves class names only through the {@code TypeAllowlist} ({@code
 * AllowlistClassResolver}), never sizes an allocation from an unchecked length ({@code BoundedInput}, {@code
 * JdkSerializers}) and keeps to the {@code ReadBudget}; fixed registrations of JDK classes ({@code JdkRegistrations}),
 * pooled contexts and Courier's string encoding. It depends on {@code io.courier.serialization} only (and Kryo, and
 * Netty's buffers): not on clients, servers, transports or the other formats.
 */
package io.courier.serialization.kryo;
