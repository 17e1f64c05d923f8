package io.courier.serialization.hessian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alibaba.com.caucho.hessian.io.Hessian2Input;
import com.alibaba.com.caucho.hessian.io.Hessian2Output;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A declared {@code byte[]} read in bulk from its binary chunks ({@link HessianBinary}): the same bytes hessian-lite's
 * own reader gives, at every size where the encoding changes (short, compact, one chunk, several chunks).
 */
class HessianBinaryTest {

  private final Serializer hessian = new HessianSerializerProvider().create(TypeAllowlist.withDefaults());

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 16, 1023, 1024, 4096, 32767, 32768, 32769, 65536, 1 << 20, (1 << 20) + 7})
  void readsWhatHessianWroteAsHessianItselfDoes(int size) throws IOException {
    byte[] value = new byte[size];
    for (int i = 0; i < size; i++) {
      value[i] = (byte) (i * 31 + 7);
    }
    byte[] wire = stockWrite(value);
    ByteBuf in = Unpooled.wrappedBuffer(wire);
    Object fast = HessianBinary.read(in, 0, wire.length);
    assertThat(fast).isInstanceOf(byte[].class);
    assertThat((byte[]) fast).isEqualTo(value).isEqualTo(stockRead(wire));
    ByteBuf buf = Unpooled.buffer();
    hessian.write(buf, value, byte[].class);
    assertThat((byte[]) hessian.read(buf, byte[].class)).isEqualTo(value);
    assertThat(buf.isReadable()).isFalse();
  }

  @Test
  void nullIsNull() throws IOException {
    byte[] wire = stockWrite(null);
    assertThat(HessianBinary.read(Unpooled.wrappedBuffer(wire), 0, wire.length)).isNull();
    assertThat(hessian.read(Unpooled.wrappedBuffer(wire), byte[].class)).isNull();
  }

  @Test
  void aValueThatIsNotABinaryIsLeftToHessiansReader() throws IOException {
    byte[] wire = stockWrite("not bytes");
    assertThat(HessianBinary.read(Unpooled.wrappedBuffer(wire), 0, wire.length)).isSameAs(HessianBinary.NOT_BINARY);
    assertThatThrownBy(() -> hessian.read(Unpooled.wrappedBuffer(wire), byte[].class))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void aChunkThatRunsPastTheValueIsNotReadAsBytes() {
    // 'B', length 16, but only 3 bytes follow: not a binary of [start, end); the scanner refuses it before this
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {'B', 0, 16, 1, 2, 3});
    assertThat(HessianBinary.read(in, 0, 6)).isSameAs(HessianBinary.NOT_BINARY);
    assertThatThrownBy(() -> hessian.read(Unpooled.wrappedBuffer(new byte[] {'B', 0, 16, 1, 2, 3}), byte[].class))
        .isInstanceOf(SerializationException.class);
  }

  private static byte[] stockWrite(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Hessian2Output out = new Hessian2Output(bytes);
    out.writeObject(value);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] stockRead(byte[] wire) throws IOException {
    return new Hessian2Input(new ByteArrayInputStream(wire)).readBytes();
  }
}
