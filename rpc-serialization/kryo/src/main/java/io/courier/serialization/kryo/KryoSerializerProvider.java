package io.courier.serialization.kryo;

import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.TypeAllowlist;

/**
 * Provides {@link KryoSerializer}. Found by {@link java.util.ServiceLoader} when
 * {@code io.courier:courier-serialization-kryo} is on the class path.
 */
public final class KryoSerializerProvider implements SerializerProvider {

  @Override
  public String name() {
    return "kryo";
  }

  @Override
  public Serializer create(TypeAllowlist allowlist) {
    if (allowlist == null) {
      throw new NullPointerException("allowlist");
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return new KryoSerializer(allowlist, loader != null ? loader : KryoSerializer.class.getClassLoader());
  }
}
