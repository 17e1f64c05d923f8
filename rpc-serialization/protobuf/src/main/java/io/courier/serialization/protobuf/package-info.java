/**
 * Protocol Buffers ({@code "protobuf"}, wire id 2, module {@code courier-serialization-protobuf}): generated message
 * classes as themselves and scalars as their well-known wrappers ({@code MessageCodec}), in the bytes gRPC peers expect
 * ({@link io.courier.serialization.protobuf.ProtobufSerializer}); and {@code ProtobufSchemaProvider}, which describes
 * messages and enums as JSON Schema for service descriptions. It depends on {@code io.courier.serialization} and on
 * {@code io.courier.describe}'s {@code SchemaProvider} SPI only (and protobuf-java, and Netty's buffers): not on
 * clients, servers, transports or the other formats.
 */
package io.courier.serialization.protobuf;
