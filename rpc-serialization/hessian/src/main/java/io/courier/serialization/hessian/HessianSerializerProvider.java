package io.courier.serialization.hessian;

import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.TypeAllowlist;

/**
 * Provides {@link HessianSerializer}. Found by {@link java.util.ServiceLoader} when
 * {@code io.courier:courier-serialization-hessian} is on the class path.
 */
public final class HessianSerializerProvider implements SerializerProvider {

  @Override
  public String name() {
    return "hessian";
  }

  @Override
  public Serializer create(TypeAllowlist allowlist) {
    if (allowlist == null) {
      throw new NullPointerException("allowlist");
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return new HessianSerializer(allowlist, loader != null ? loader : HessianSerializer.class.getClassLoader());
  }
}
