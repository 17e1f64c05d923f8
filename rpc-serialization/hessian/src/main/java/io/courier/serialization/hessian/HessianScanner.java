package io.courier.serialization.hessian;

import io.courier.serialization.SerializationException;
import io.netty.buffer.ByteBuf;

/**
 * Walks one Hessian 2 value in a {@link ByteBuf} without decoding it, and returns where it ends.
 *
 * <p>Hessian's own reader trusts its input: it sizes arrays from length fields, reads past the end as
 * {@code -1}, and recurses as deep as the input nests. So every value is scanned first. The scan accepts the
 * grammar hessian-lite's {@code Hessian2Input.readObject()} accepts, and fails with a
 * {@link SerializationException} when the input is truncated, when a length or a count claims more elements
 * than there are bytes left, when a class definition or type reference points nowhere, or when containers
 * nest deeper than {@value #MAX_DEPTH}. Its cost is one pass over the bytes with no allocation beyond a small
 * table of class definitions.
 */
final class HessianScanner {

  /** The deepest nesting of lists, maps and objects accepted. */
  static final int MAX_DEPTH = 256;

  private final ByteBuf buf;
  private final int end;
  private int pos;
  private int types;
  private int[] classFieldCounts = new int[8];
  private int classes;

  private HessianScanner(ByteBuf buf, int start, int end) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /**
   * Returns the index just past the Hessian value that starts at {@code start}; never looks at {@code end} or beyond.
   */
  static int scan(ByteBuf buf, int start, int end) {
    HessianScanner scanner = new HessianScanner(buf, start, end);
    scanner.value(0);
    return scanner.pos;
  }

  private void value(int depth) {
    if (depth > MAX_DEPTH) {
      throw malformed("nesting deeper than " + MAX_DEPTH);
    }
    int tag = next();
    while (tag == 'C') { // class definitions precede the value that first uses them
      classDefinition();
      tag = next();
    }
    if (tag >= 0x80 && tag <= 0xbf || tag >= 0xd8 && tag <= 0xef || tag == 'N' || tag == 'T' || tag == 'F'
        || tag == 0x5b || tag == 0x5c) {
      return; // compact int, compact long, null, booleans, double 0 and 1
    }
    if (tag >= 0xc0 && tag <= 0xcf || tag >= 0xf0 || tag == 0x5d) {
      skip(1);
    } else if (tag >= 0xd0 && tag <= 0xd7 || tag >= 0x38 && tag <= 0x3f || tag == 0x5e) {
      skip(2);
    } else if (tag == 'I' || tag == 0x59 || tag == 0x5f || tag == 0x4b) {
      skip(4); // int, long as int, double as int millis, date in minutes
    } else if (tag == 'L' || tag == 'D' || tag == 0x4a) {
      skip(8); // long, double, date
    } else if (tag <= 0x1f || tag >= 0x30 && tag <= 0x33 || tag == 'R' || tag == 'S') {
      string(tag);
    } else if (tag >= 0x20 && tag <= 0x2f || tag >= 0x34 && tag <= 0x37 || tag == 'A' || tag == 'B') {
      binary(tag);
    } else if (tag == 'V') { // typed list with length
      type();
      values(count(), depth);
    } else if (tag == 'X') { // untyped list with length
      values(count(), depth);
    } else if (tag >= 0x70 && tag <= 0x77) { // typed list with a length of 0..7
      type();
      values(tag - 0x70, depth);
    } else if (tag >= 0x78 && tag <= 0x7f) { // untyped list with a length of 0..7
      values(tag - 0x78, depth);
    } else if (tag == 'U') { // typed list up to 'Z'
      type();
      valuesUntilEnd(1, depth);
    } else if (tag == 'W') { // untyped list up to 'Z'
      valuesUntilEnd(1, depth);
    } else if (tag == 'M') { // typed map up to 'Z'
      type();
      valuesUntilEnd(2, depth);
    } else if (tag == 'H') { // untyped map up to 'Z'
      valuesUntilEnd(2, depth);
    } else if (tag >= 0x60 && tag <= 0x6f) { // object of class definition 0..15
      values(fieldCount(tag - 0x60), depth);
    } else if (tag == 'O') { // object of class definition n
      values(fieldCount(integer()), depth);
    } else if (tag == 0x51) { // back reference; its range is checked by the reader
      integer();
    } else {
      throw malformed(String.format("unexpected tag 0x%02x", tag));
    }
  }

  private void values(int count, int depth) {
    for (int i = 0; i < count; i++) {
      value(depth + 1);
    }
  }

  private void valuesUntilEnd(int perEntry, int depth) {
    while (true) {
      if (pos >= end) {
        throw truncated();
      }
      if (buf.getUnsignedByte(pos) == 'Z') {
        pos++;
        return;
      }
      for (int i = 0; i < perEntry; i++) {
        value(depth + 1);
      }
    }
  }

  private void classDefinition() {
    string(next()); // the class name
    int fields = count();
    for (int i = 0; i < fields; i++) {
      string(next());
    }
    if (classes == classFieldCounts.length) {
      classFieldCounts = java.util.Arrays.copyOf(classFieldCounts, classes * 2);
    }
    classFieldCounts[classes++] = fields;
  }

  private int fieldCount(int definition) {
    if (definition < 0 || definition >= classes) {
      throw malformed("object refers to class definition " + definition + " of " + classes);
    }
    return classFieldCounts[definition];
  }

  /** A type is a string (remembered) or an int reference to an earlier one. */
  private void type() {
    int tag = peek();
    if (tag <= 0x1f || tag >= 0x30 && tag <= 0x33 || tag == 'R' || tag == 'S') {
      string(next());
      types++;
    } else {
      int ref = integer();
      if (ref < 0 || ref >= types) {
        throw malformed("type reference " + ref + " of " + types);
      }
    }
  }

  private void string(int first) {
    int tag = first;
    while (true) {
      int length;
      boolean last = true;
      if (tag <= 0x1f) {
        length = tag;
      } else if (tag >= 0x30 && tag <= 0x33) {
        length = (tag - 0x30) << 8 | next();
      } else if (tag == 'S' || tag == 'R') {
        last = tag == 'S';
        length = next() << 8 | next();
      } else {
        throw malformed(String.format("expected a string, found tag 0x%02x", tag));
      }
      checkCount(length);
      for (int i = 0; i < length; i++) {
        int b = next();
        if (b >= 0x80) {
          if ((b & 0xe0) == 0xc0) {
            skip(1);
          } else if ((b & 0xf0) == 0xe0) {
            skip(2);
          } else {
            throw malformed(String.format("bad UTF-8 lead byte 0x%02x", b));
          }
        }
      }
      if (last) {
        return;
      }
      tag = next();
    }
  }

  private void binary(int first) {
    int tag = first;
    while (true) {
      int length;
      boolean last = true;
      if (tag >= 0x20 && tag <= 0x2f) {
        length = tag - 0x20;
      } else if (tag >= 0x34 && tag <= 0x37) {
        length = (tag - 0x34) << 8 | next();
      } else if (tag == 'B' || tag == 'A') {
        last = tag == 'B';
        length = next() << 8 | next();
      } else {
        throw malformed(String.format("expected binary data, found tag 0x%02x", tag));
      }
      skip(length);
      if (last) {
        return;
      }
      tag = next();
    }
  }

  /** A length or count: an int no larger than the bytes left, since every element takes at least one. */
  private int count() {
    int count = integer();
    checkCount(count);
    return count;
  }

  private void checkCount(int count) {
    if (count < 0 || count > end - pos) {
      throw malformed("a length of " + count + " with " + (end - pos) + " bytes left");
    }
  }

  private int integer() {
    int tag = next();
    if (tag >= 0x80 && tag <= 0xbf) {
      return tag - 0x90;
    } else if (tag >= 0xc0 && tag <= 0xcf) {
      return (tag - 0xc8) << 8 | next();
    } else if (tag >= 0xd0 && tag <= 0xd7) {
      return (tag - 0xd4) << 16 | next() << 8 | next();
    } else if (tag == 'I') {
      return next() << 24 | next() << 16 | next() << 8 | next();
    }
    throw malformed(String.format("expected an int, found tag 0x%02x", tag));
  }

  private int next() {
    if (pos >= end) {
      throw truncated();
    }
    return buf.getUnsignedByte(pos++);
  }

  private int peek() {
    if (pos >= end) {
      throw truncated();
    }
    return buf.getUnsignedByte(pos);
  }

  private void skip(int count) {
    if (count > end - pos) {
      throw truncated();
    }
    pos += count;
  }

  private SerializationException truncated() {
    return new SerializationException("hessian input ends in the middle of a value (" + (end - pos)
        + " bytes left at index " + pos + ")");
  }

  private SerializationException malformed(String what) {
    return new SerializationException("hessian input is malformed at index " + pos + ": " + what);
  }
}
