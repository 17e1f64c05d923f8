package io.courier.serialization.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code byte[]} read straight from its {@code BytesValue} bytes ({@link ProtobufSerializer#readBytesValue}): the
 * same value protobuf's own parser gives, from heap and direct buffers, at every varint length; any other layout is
 * left to the parser.
 */
class BytesValueReadTest {

  private final Serializer protobuf = new ProtobufSerializerProvider().create(TypeAllowlist.withDefaults());

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 127, 128, 16383, 16384, 1 << 20, 2_097_151, 2_097_152})
  void readsWhatProtobufWroteAsItsParserDoes(int size) throws Exception {
    byte[] value = new byte[size];
    for (int i = 0; i < size; i++) {
      value[i] = (byte) (i * 31 + 7);
    }
    byte[] wire = BytesValue.of(ByteString.copyFrom(value)).toByteArray();
    for (ByteBuf in : new ByteBuf[] {Unpooled.wrappedBuffer(wire), direct(wire)}) {
      byte[] fast = ProtobufSerializer.readBytesValue(in, in.readerIndex(), in.readableBytes());
      assertThat(fast).isEqualTo(value).isEqualTo(BytesValue.parseFrom(wire).getValue().toByteArray());
      assertThat((byte[]) protobuf.read(in, byte[].class)).isEqualTo(value);
      assertThat(in.isReadable()).isFalse();
      in.release();
    }
    ByteBuf written = Unpooled.directBuffer();
    protobuf.write(written, value, byte[].class);
    assertThat((byte[]) protobuf.read(written, byte[].class)).isEqualTo(value);
    written.release();
  }

  @Test
  void anotherLayoutIsLeftToTheParser() throws Exception {
    // the field twice (the last one wins) and an unknown field after it: valid protobuf, not the usual layout
    byte[] twice = {0x0a, 1, 'a', 0x0a, 2, 'b', 'c', 0x10, 5};
    assertThat(ProtobufSerializer.readBytesValue(Unpooled.wrappedBuffer(twice), 0, twice.length)).isNull();
    assertThat((byte[]) protobuf.read(Unpooled.wrappedBuffer(twice), byte[].class))
        .isEqualTo(BytesValue.parseFrom(twice).getValue().toByteArray()).containsExactly('b', 'c');
  }

  @Test
  void aLengthPastTheEndIsRefused() {
    byte[] truncated = {0x0a, 5, 'a', 'b'};
    assertThat(ProtobufSerializer.readBytesValue(Unpooled.wrappedBuffer(truncated), 0, truncated.length)).isNull();
    assertThatThrownBy(() -> protobuf.read(Unpooled.wrappedBuffer(truncated), byte[].class))
        .isInstanceOf(SerializationException.class);
    byte[] endlessVarint = {0x0a, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    assertThat(ProtobufSerializer.readBytesValue(Unpooled.wrappedBuffer(endlessVarint), 0, endlessVarint.length))
        .isNull();
  }

  @Test
  void nullStaysNull() {
    ByteBuf buf = Unpooled.buffer();
    protobuf.write(buf, null, byte[].class);
    assertThat(protobuf.read(buf, byte[].class)).isNull();
  }

  private static ByteBuf direct(byte[] bytes) {
    ByteBuf buf = Unpooled.directBuffer(bytes.length);
    buf.writeBytes(bytes);
    return buf;
  }
}
