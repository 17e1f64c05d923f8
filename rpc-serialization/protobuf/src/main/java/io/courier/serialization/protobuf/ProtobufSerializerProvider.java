package io.courier.serialization.protobuf;

import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.TypeAllowlist;

/**
 * Provides {@link ProtobufSerializer}. Found by {@link java.util.ServiceLoader} when
 * {@code io.courier:courier-serialization-protobuf} is on the class path. Protobuf names no classes on the
 * wire, so the allowlist is not consulted.
 */
public final class ProtobufSerializerProvider implements SerializerProvider {

  @Override
  public String name() {
    return "protobuf";
  }

  @Override
  public Serializer create(TypeAllowlist allowlist) {
    if (allowlist == null) {
      throw new NullPointerException("allowlist");
    }
    return new ProtobufSerializer();
  }
}
