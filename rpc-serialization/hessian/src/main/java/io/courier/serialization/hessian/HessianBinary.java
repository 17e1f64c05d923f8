package io.courier.serialization.hessian;

import io.netty.buffer.ByteBuf;

/**
 * A {@code byte[]} value read straight from its Hessian 2 binary chunks, one bulk copy per chunk: hessian-lite 4's
 * {@code readBytes} copies a chunked binary (anything over 1,023 bytes) a byte at a time through a
 * {@code ByteArrayOutputStream}, which made a 1 MiB {@code byte[]} cost milliseconds of CPU on each side. Only for a
 * value that {@link HessianScanner} has already walked (so every length is within {@code [start, end)}), and only
 * where {@code byte[]} is declared. A {@code byte[]} is a binary in Hessian 2, never a referenced value, so nothing
 * of hessian's reference table is skipped.
 */
final class HessianBinary {

  /** Returned when the value is not a binary (or {@code null}): hessian's own reader decides what it is. */
  static final Object NOT_BINARY = new Object();

  private HessianBinary() {
  }

  /** The bytes of the binary (or {@code null}) in {@code [start, end)}, or {@link #NOT_BINARY}. */
  static Object read(ByteBuf in, int start, int end) {
    if (in.getUnsignedByte(start) == 'N') {
      return end == start + 1 ? null : NOT_BINARY;
    }
    int total = 0;
    int i = start;
    while (true) { // first pass: the chunks' lengths
      long chunk = chunk(in, i, end);
      if (chunk < 0) {
        return NOT_BINARY;
      }
      i += header(chunk) + length(chunk);
      total += length(chunk);
      if (last(chunk)) {
        break;
      }
    }
    if (i != end) {
      return NOT_BINARY;
    }
    byte[] bytes = new byte[total];
    int at = 0;
    for (i = start; i < end; ) { // second pass: the copies
      long chunk = chunk(in, i, end);
      in.getBytes(i + header(chunk), bytes, at, length(chunk));
      at += length(chunk);
      i += header(chunk) + length(chunk);
    }
    return bytes;
  }

  /**
   * The binary chunk whose tag is at {@code i}, packed: its header's length (bits 32–33), whether it is the last
   * (bit 34) and its data's length (bits 0–31); -1 if there is no binary chunk header there.
   */
  private static long chunk(ByteBuf in, int i, int end) {
    if (i >= end) {
      return -1;
    }
    int tag = in.getUnsignedByte(i);
    if (tag >= 0x20 && tag <= 0x2f) {
      return pack(1, true, tag - 0x20);
    } else if (tag >= 0x34 && tag <= 0x37 && i + 1 < end) {
      return pack(2, true, (tag - 0x34) << 8 | in.getUnsignedByte(i + 1));
    } else if ((tag == 'A' || tag == 'B') && i + 2 < end) {
      return pack(3, tag == 'B', in.getUnsignedShort(i + 1));
    }
    return -1;
  }

  private static long pack(int header, boolean last, int length) {
    return (long) header << 32 | (last ? 1L << 34 : 0) | length;
  }

  private static int header(long chunk) {
    return (int) (chunk >>> 32) & 3;
  }

  private static boolean last(long chunk) {
    return (chunk & 1L << 34) != 0;
  }

  private static int length(long chunk) {
    return (int) chunk;
  }
}
