package io.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Type;

/** Write-then-read and encoded-bytes helpers shared by the serializer tests; every buffer is released. */
public final class SerializerRoundTrip {

  private SerializerRoundTrip() {}

  /**
   * Writes {@code value} as {@code type} into {@code buf}, reads it back, checks that the read consumed every
   * byte written, releases {@code buf} and returns the copy.
   */
  public static Object roundTrip(Serializer serializer, Object value, Type type, ByteBuf buf) {
    try {
      serializer.write(buf, value, type);
      Object copy = serializer.read(buf, type);
      assertThat(buf.readableBytes()).as("bytes left after reading %s", type).isZero();
      return copy;
    } finally {
      buf.release();
    }
  }

  /** {@link #roundTrip(Serializer, Object, Type, ByteBuf)} on a fresh heap buffer. */
  public static Object roundTrip(Serializer serializer, Object value, Type type) {
    return roundTrip(serializer, value, type, Unpooled.buffer());
  }

  /** The bytes {@code serializer} writes for {@code value} as {@code type}. */
  public static byte[] bytesOf(Serializer serializer, Object value, Type type) {
    ByteBuf buf = Unpooled.buffer();
    try {
      serializer.write(buf, value, type);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }
}
