package io.courier.testing;

import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Type;

/**
 * The body of every serializer fuzz test: hostile bytes may only ever produce a value or a
 * {@link SerializationException}. Anything else that escapes (a runtime exception, a stack overflow, an
 * out-of-memory from trusting a length) is a finding.
 */
public final class SerializerFuzzing {

  private SerializerFuzzing() {}

  /**
   * Reads {@code input} with {@code serializer}: its first byte picks one of {@code targets} as the declared
   * type of a single value, or (past the end of the list) all of them as an argument list.
   */
  public static void readArbitraryBytes(Serializer serializer, byte[] input, Type... targets) {
    if (input.length == 0) {
      return;
    }
    int choice = (input[0] & 0xFF) % (targets.length + 1);
    ByteBuf buf = Unpooled.wrappedBuffer(input, 1, input.length - 1);
    try {
      if (choice < targets.length) {
        serializer.read(buf, targets[choice]);
      } else {
        serializer.readArguments(buf, targets);
      }
      if (buf.readerIndex() > buf.writerIndex()) {
        throw new AssertionError("read past the end of the buffer");
      }
    } catch (SerializationException expected) {
      // refusing malformed input is the correct outcome
    } finally {
      buf.release();
    }
  }

  /** A seed input: the selector byte followed by a real encoding of {@code value} as {@code targets[choice]}. */
  public static byte[] seed(Serializer serializer, int choice, Object value, Type type) {
    ByteBuf buf = Unpooled.buffer();
    try {
      buf.writeByte(choice);
      serializer.write(buf, value, type);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }
}
