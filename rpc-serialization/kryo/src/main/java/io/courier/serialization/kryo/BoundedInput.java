package io.courier.serialization.kryo;

import com.esotericsoftware.kryo.io.ByteBufferInput;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;

/**
 * A Kryo input over one in-memory buffer (a view of the inbound {@code ByteBuf}) that checks every length it
 * reads against the bytes that remain before it allocates an array or a string for it.
 *
 * <p>Invariant: the whole value is in the buffer (there is no stream to fill from), so peeking ahead and
 * moving the position back is always possible.
 */
final class BoundedInput extends ByteBufferInput {

  @Override
  public String readString() {
    checkStringLength();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    checkStringLength();
    return super.readStringBuilder();
  }

  private void checkStringLength() {
    if (position == limit || !readVarIntFlag()) {
      return; // ASCII strings carry no length; they end at a marked byte
    }
    int start = position();
    int charCount = readVarIntFlag(true);
    setPosition(start);
    // 0 is null, 1 is ""; otherwise charCount - 1 chars of at least one byte each follow. A negative count
    // must be refused too: Kryo decrements it, and Integer.MIN_VALUE - 1 wraps to a 2 GiB char array.
    if (charCount < 0 || charCount > 1) {
      checkRemaining(charCount - 1L, 1);
    }
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
