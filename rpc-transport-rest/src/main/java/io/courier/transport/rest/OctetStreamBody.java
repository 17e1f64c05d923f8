package io.courier.transport.rest;

import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.Type;

/**
 * Raw bytes as a body, {@code application/octet-stream}: the request body of a method whose one body parameter is
 * {@code byte[]}, and the answer of a method that returns {@code byte[]} when the request sent raw bytes or asks for
 * them ({@code Accept: application/octet-stream}). That is what a Spring {@code @RequestBody byte[]} endpoint reads
 * and writes. JSON carries the same bytes as a base64 string, a third larger, and encoding and decoding it was nearly
 * all of the REST server's time in the benchmark's 1 MiB echo.
 *
 * <p>A {@link Serializer} so that it travels where the codec's body serializers do; it reads and writes {@code byte[]}
 * only, and is never a call's wire serializer (it is not in any {@code SerializerSet}).
 */
final class OctetStreamBody implements Serializer {

  static final String MEDIA_TYPE = "application/octet-stream";
  static final OctetStreamBody INSTANCE = new OctetStreamBody();

  private OctetStreamBody() {
  }

  /** Whether raw bytes can be this method's request body: exactly one body parameter, a {@code byte[]}. */
  static boolean readsRequestOf(RestMapping mapping) {
    return mapping.bodyParams().length == 1 && !mapping.isPositional() && mapping.bodyTypes()[0] == byte[].class;
  }

  @Override
  public byte id() {
    return -1; // never on the wire of a Courier call: REST says what a body is with its content type
  }

  @Override
  public String name() {
    return "octet-stream";
  }

  @Override
  public void write(ByteBuf out, Object value, Type type) {
    if (!(value instanceof byte[] bytes)) {
      throw new SerializationException("only a byte[] can be sent as " + MEDIA_TYPE + ", not "
          + (value == null ? "null" : value.getClass().getName()));
    }
    out.writeBytes(bytes);
  }

  @Override
  public Object read(ByteBuf in, Type type) {
    if (type != byte[].class) {
      throw new SerializationException("a " + MEDIA_TYPE + " body holds a byte[], not " + RestCodec.typeName(type));
    }
    byte[] bytes = new byte[in.readableBytes()];
    in.readBytes(bytes);
    return bytes;
  }

  @Override
  public void writeArguments(ByteBuf out, Object[] args, Type[] types) {
    requireOneByteArray(types);
    write(out, args[0], types[0]);
  }

  @Override
  public Object[] readArguments(ByteBuf in, Type[] types) {
    requireOneByteArray(types);
    return new Object[] {read(in, types[0])};
  }

  private static void requireOneByteArray(Type[] types) {
    if (types.length != 1 || types[0] != byte[].class) {
      throw new SerializationException("a " + MEDIA_TYPE + " body is the one byte[] parameter of a method; this one"
          + " takes " + types.length + " body parameter(s)");
    }
  }
}
