package io.courier.serialization.kryo;

import com.esotericsoftware.kryo.io.ByteBufferInput;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;
import java.nio.charset.StandardCharsets;

/**
 * A Kryo input over one in-memory buffer (a view of the inbound {@code ByteBuf}) that checks every length it
 * reads against the bytes that remain before it allocates an array or a string for it.
 *
 * <p>Invariant: the whole value is in the buffer (there is no stream to fill from), so peeking ahead and
 * moving the position back is always possible.
 */
final class BoundedInput extends ByteBufferInput {

  /**
   * Reads what {@link CourierOutput#writeString} wrote: a varint of the UTF-8 byte length plus one ({@code 0} is
   * null), then the bytes, whose length is checked against the input before anything is allocated. Malformed
   * UTF-8 becomes U+FFFD, as the JDK's decoder makes it.
   */
  @Override
  public String readString() {
    int header = readVarInt(true);
    if (header == 0) {
      return null;
    }
    int length = header - 1; // a negative header, or one of 2^31 and above, fails the check below
    if (length == 0) {
      return "";
    }
    checkRemaining(length, 1);
    int at = position;
    String value;
    if (byteBuffer.hasArray()) {
      value = new String(byteBuffer.array(), byteBuffer.arrayOffset() + at, length, StandardCharsets.UTF_8);
    } else {
      byte[] copy = new byte[length];
      byteBuffer.get(at, copy, 0, length);
      value = new String(copy, StandardCharsets.UTF_8);
    }
    setPosition(at + length);
    return value;
  }

  @Override
  public StringBuilder readStringBuilder() {
    String value = readString();
    return value == null ? null : new StringBuilder(value);
  }

  @Override
  public byte[] readBytes(int length) {
    checkRemaining(length, 1);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    checkRemaining(length, 4);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    checkRemaining(length, 1);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    checkRemaining(length, 8);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    checkRemaining(length, 1);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    checkRemaining(length, 4);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    checkRemaining(length, 8);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    checkRemaining(length, 2);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    checkRemaining(length, 2);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    checkRemaining(length, 1);
    return super.readBooleans(length);
  }

  /** Fails unless {@code count} items of at least {@code bytesEach} bytes can still follow. */
  void checkRemaining(long count, int bytesEach) {
    long remaining = (long) limit - position;
    if (count < 0 || count * bytesEach > remaining) {
      throw new KryoBufferUnderflowException("kryo input claims " + count + " items but only " + remaining
          + " bytes remain");
    }
  }
}
