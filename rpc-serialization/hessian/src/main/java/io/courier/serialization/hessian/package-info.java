/**
 * The Hessian 2 format ({@code "hessian"}, wire id 3, module {@code courier-serialization-hessian}) through Apache
 * Dubbo's hessian-lite ({@code org.apache.dubbo:hessian-lite}):
 * {@link io.courier.serialization.hessian.HessianSerializer}; {@code HessianScanner}, which walks a
 * value's bytes before hessian's trusting reader sees them; an {@code AllowlistSerializerFactory} that hands out
 * deserializers only for allowed classes; a {@code BudgetedHessianInput} that charges every value and back-reference to
 * the {@code ReadBudget}; collection and map readers that stage hashed ones and check their hash codes ({@code
 * CheckedCollectionDeserializer}, {@code CheckedMapDeserializer}); {@code DeclaredTypes}, which checks what was read
 * against its declared type all the way down; and records ({@code RecordDeserializer}). It depends on {@code
 * io.courier.serialization} only (and hessian-lite, and Netty's buffers): not on clients, servers, transports or the
 * other formats.
 */
package io.courier.serialization.hessian;
