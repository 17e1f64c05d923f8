package io.courier.serialization.json;

import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.TypeAllowlist;

/**
 * Provides {@link JsonSerializer}. Found by {@link java.util.ServiceLoader} when
 * {@code io.courier:courier-serialization-json} is on the class path.
 */
public final class JsonSerializerProvider implements SerializerProvider {

  @Override
  public String name() {
    return "json";
  }

  @Override
  public Serializer create(TypeAllowlist allowlist) {
    if (allowlist == null) {
      throw new NullPointerException("allowlist");
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return new JsonSerializer(allowlist, loader != null ? loader : JsonSerializer.class.getClassLoader());
  }
}
