package io.courier.serialization;

/**
 * Creates a {@link Serializer}. Implementations are listed in
 * {@code META-INF/services/io.courier.serialization.SerializerProvider} so that putting a format's module
 * on the classpath is all it takes to use it.
 */
public interface SerializerProvider {

  /** The name of the serializer this provider creates, the same as {@link Serializer#name()}. */
  String name();

  /**
   * Creates a serializer that instantiates only classes accepted by {@code allowlist}. The allowlist is
   * live: services exported or stubbed after this call add their types to it.
   */
  Serializer create(TypeAllowlist allowlist);
}
