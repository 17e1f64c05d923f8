package io.courier.serialization.kryo;

import com.esotericsoftware.kryo.io.Output;
import java.nio.charset.StandardCharsets;

/**
 * Kryo's {@link Output} with Courier's string encoding: a varint of the UTF-8 byte length plus one ({@code 0} is
 * null, {@code 1} the empty string), then the UTF-8 bytes. {@link BoundedInput#readString()} reads it.
 *
 * <p>Kryo's own encoding marks the last byte of an ASCII string and otherwise writes a char count followed by
 * a per-char UTF-8 loop; both ends of that loop were the largest cost in a profile of a page of users.
 * {@link String#getBytes(java.nio.charset.Charset)} and {@link String#String(byte[], int, int,
 * java.nio.charset.Charset)} are the JDK's vectorised codecs. An unpaired surrogate is written as {@code '?'},
 * as the JDK's UTF-8 encoder does.
 */
final class CourierOutput extends Output {

  CourierOutput(int bufferSize) {
    super(bufferSize, -1);
  }

  @Override
  public void writeString(String value) {
    if (value == null) {
      writeByte(0);
    } else if (value.isEmpty()) {
      writeByte(1);
    } else {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      writeVarInt(utf8.length + 1, true);
      writeBytes(utf8, 0, utf8.length);
    }
  }

  /** Kryo's ASCII form is read by {@code readString}, so it must be Courier's string form too. */
  @Override
  public void writeAscii(String value) {
    writeString(value);
  }
}
