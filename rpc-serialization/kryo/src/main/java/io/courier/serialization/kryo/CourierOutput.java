package io.courier.serialization.kryo;

import com.esotericsoftware.kryo.io.Output;
import java.nio.charset.StandardCharsets;

/**
 * Kryo's {@link Output} with Courier's string encoding: a varint of the UTF-8 byte length plus one ({@code 0} is
 * null, {@code 1} the empty string), then the UTF-8 bytes. {@link BoundedInput#readString()} reads it.
 *
 * <p>Kryo's own encoding marks the last byte of an ASCII string and otherwise writes a char count followed by
 * a per-char UTF-8 loop; both ends of that loop were the largest cost in a profile of a page of users.
 * Short strings are encoded straight into the output buffer, long ones with the JDK's encoder; the reader decodes
 * with {@link String#String(byte[], int, int, java.nio.charset.Charset)}. An unpaired surrogate is written as
 * {@code '?'}, as the JDK's UTF-8 encoder does.
 */
final class CourierOutput extends Output {

  CourierOutput(int bufferSize) {
    super(bufferSize, -1);
  }

  /**
   * Strings up to this many chars are encoded straight into the output buffer (one pass to size them, one to
   * encode, or an array copy when they are ASCII); longer ones go through the JDK's encoder, which is vectorised
   * for Latin-1 strings but allocates the encoded array.
   */
  private static final int SHORT = 1024; // at most 3 KiB of UTF-8: fits the 4 KiB buffer after a flush

  @Override
  public void writeString(String value) {
    if (value == null) {
      writeByte(0);
      return;
    }
    int length = value.length();
    if (length > SHORT) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      writeVarInt(utf8.length + 1, true);
      writeBytes(utf8, 0, utf8.length);
      return;
    }
    int bytes = utf8Length(value, length);
    writeVarInt(bytes + 1, true);
    require(bytes);
    if (bytes == length && isAscii(value, length)) {
      copyAscii(value, length);
    } else {
      encodeUtf8(value, length);
    }
  }

  /** The UTF-8 length of {@code value}, with an unpaired surrogate counted as the one byte of {@code '?'}. */
  private static int utf8Length(String value, int length) {
    int bytes = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (!Character.isSurrogate(c)) {
        bytes += 3;
      } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes++;
      }
    }
    return bytes;
  }

  /** Whether every char is ASCII; asked only when the UTF-8 length equals the char count (lone surrogates aside). */
  private static boolean isAscii(String value, int length) {
    for (int i = 0; i < length; i++) {
      if (value.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Exact for ASCII: this {@code getBytes} keeps the low byte of each char (an array copy for a Latin-1 string). */
  @SuppressWarnings("deprecation")
  private void copyAscii(String value, int length) {
    value.getBytes(0, length, buffer, position);
    position += length;
  }

  /** UTF-8 as {@link String#getBytes(java.nio.charset.Charset)} writes it; the room was reserved by the caller. */
  private void encodeUtf8(String value, int length) {
    byte[] b = buffer;
    int p = position;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xc0 | c >> 6);
        b[p++] = (byte) (0x80 | c & 0x3f);
      } else if (!Character.isSurrogate(c)) {
        b[p++] = (byte) (0xe0 | c >> 12);
        b[p++] = (byte) (0x80 | c >> 6 & 0x3f);
        b[p++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, value.charAt(++i));
        b[p++] = (byte) (0xf0 | codePoint >> 18);
        b[p++] = (byte) (0x80 | codePoint >> 12 & 0x3f);
        b[p++] = (byte) (0x80 | codePoint >> 6 & 0x3f);
        b[p++] = (byte) (0x80 | codePoint & 0x3f);
      } else {
        b[p++] = '?';
      }
    }
    position = p;
  }

  /** Kryo's ASCII form is read by {@code readString}, so it must be Courier's string form too. */
  @Override
  public void writeAscii(String value) {
    writeString(value);
  }
}
