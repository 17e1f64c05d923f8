package io.courier.serialization;

import io.netty.buffer.ByteBuf;
import java.lang.reflect.Type;

/**
 * Encodes call arguments and results to bytes and back. One instance serves many threads at once.
 *
 * <p>Implementations write straight into the transport's outbound {@link ByteBuf} and read from the
 * inbound one without copying it first. They are created by a {@link SerializerProvider} found with
 * {@link java.util.ServiceLoader}, and every class they instantiate while reading must pass the
 * {@link TypeAllowlist} they were created with.
 *
 * <pre>{@code
 * Serializer kryo = SerializerSet.load(allowlist).byName("kryo");
 * kryo.write(out, user, User.class);
 * User copy = (User) kryo.read(out, User.class);
 * }</pre>
 */
public interface Serializer {

  /**
   * The stable identifier of this format on the wire, in {@code 1..127}. Built-in formats use
   * 1 (kryo), 2 (protobuf), 3 (hessian) and 4 (json); 5..63 are reserved for Courier, 64..127 are free
   * for user formats.
   */
  byte id();

  /** The short lower-case name used in configuration and content types, for example {@code "kryo"}. */
  String name();

  /**
   * Writes {@code value} (which may be {@code null}) declared as {@code type} at the writer index of
   * {@code out}.
   *
   * @throws SerializationException if the value cannot be encoded by this format
   */
  void write(ByteBuf out, Object value, Type type);

  /**
   * Reads one value declared as {@code type} from the reader index of {@code in}, advancing it past the
   * value. Never reads beyond {@code in.writerIndex()}. Formats without framing of their own (protobuf)
   * take everything up to the writer index as the value, so transports pass one payload per buffer.
   *
   * @throws SerializationException if the bytes are malformed, or name a class that is not allowed
   */
  Object read(ByteBuf in, Type type);

  /**
   * Writes the arguments of a call, in order. The default writes each with {@link #write}; formats that
   * need a frame around the whole list (JSON arrays, protobuf's raw single message) override it.
   */
  default void writeArguments(ByteBuf out, Object[] args, Type[] types) {
    for (int i = 0; i < types.length; i++) {
      write(out, args[i], types[i]);
    }
  }

  /** Reads the arguments written by {@link #writeArguments}; the result has {@code types.length} entries. */
  default Object[] readArguments(ByteBuf in, Type[] types) {
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = read(in, types[i]);
    }
    return args;
  }

  /**
   * Says why this format cannot carry {@code type}, or returns {@code null} if it can. Stubs and servers
   * call this once per method when they are created, so that an unsupported type fails early with a message
   * that names the method, the type and a format that can carry it.
   */
  default String unsupportedReason(Type type) {
    return null;
  }
}
