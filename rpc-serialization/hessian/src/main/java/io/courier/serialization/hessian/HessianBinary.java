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
    int tag = in.getUnsignedByte(start);
    if (tag == 'N') {
      return end == start + 1 ? null : NOT_BINARY;
    }
    int total = 0;
    int i = start;
    while (true) { // first pass: the chunks' lengths
      if (i >= end) {
        return NOT_BINARY;
      }
      tag = in.getUnsignedByte(i);
      int header;
      int length;
      boolean last = true;
      if (tag >= 0x20 && tag <= 0x2f) {
        header = 1;
        length = tag - 0x20;
      } else if (tag >= 0x34 && tag <= 0x37 && i + 1 < end) {
        header = 2;
        length = (tag - 0x34) << 8 | in.getUnsignedByte(i + 1);
      } else if ((tag == 'A' || tag == 'B') && i + 2 < end) {
        header = 3;
        last = tag == 'B';
        length = in.getUnsignedShort(i + 1);
      } else {
        return NOT_BINARY;
      }
      i += header + length;
      total += length;
      if (last) {
        break;
      }
    }
    if (i != end) {
      return NOT_BINARY;
    }
    byte[] bytes = new byte[total];
    int at = 0;
    i = start;
    while (i < end) { // second pass: the copies
      tag = in.getUnsignedByte(i);
      int header = tag >= 0x20 && tag <= 0x2f ? 1 : tag >= 0x34 && tag <= 0x37 ? 2 : 3;
      int length = header == 1 ? tag - 0x20 : header == 2 ? (tag - 0x34) << 8 | in.getUnsignedByte(i + 1)
          : in.getUnsignedShort(i + 1);
      in.getBytes(i + header, bytes, at, length);
      at += length;
      i += header + length;
    }
    return bytes;
  }
}
