package io.courier.serialization.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.serialization.SerializerProvider;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.serialization.AbstractClassNamingSerializerContractTest;
import io.courier.testing.serialization.Nesting;
import io.courier.testing.serialization.User;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The serializer contract (round trips, malformed input, allowlist) for kryo, and what only kryo does. */
class KryoSerializerTest extends AbstractClassNamingSerializerContractTest {

  @Override
  protected SerializerProvider provider() {
    return new KryoSerializerProvider();
  }

  @Override
  protected String expectedName() {
    return "kryo";
  }

  @Override
  protected int expectedId() {
    return 1;
  }

  @Override
  protected Stream<Object[]> formatValues() {
    return Stream.concat(super.formatValues(), Stream.<Object[]>of(new Object[] {Optional.of("x"), Optional.class}));
  }

  @Override
  protected byte[] nestedLists(int levels) {
    return Nesting.repeat(bytesOf(nested(1), Object.class), bytesOf(nested(2), Object.class),
        bytesOf(nested(3), Object.class), levels);
  }

  @Override
  protected int maxDepth() {
    return KryoSerializer.MAX_DEPTH;
  }

  // ---------------------------------------------------------------- round trips

  @Test
  @SuppressWarnings("unchecked")
  void keepsImmutableCollectionsImmutable() {
    Object list = roundTrip(List.of(1, 2), List.class, Unpooled.buffer());
    assertThatThrownBy(() -> ((List<Object>) list).add(3)).isInstanceOf(UnsupportedOperationException.class);
    Object wrapped = roundTrip(Collections.unmodifiableList(new ArrayList<>(List.of(1))), List.class,
        Unpooled.buffer());
    assertThatThrownBy(() -> ((List<Object>) wrapped).add(3)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void writesNoClassNameWhenTheValueHasTheDeclaredClass() {
    byte[] exact = bytesOf(User.sample(1), User.class);
    byte[] named = bytesOf(User.sample(1), Object.class);
    assertThat(exact[0]).isEqualTo(KryoSerializer.DECLARED_CLASS);
    assertThat(named[0]).isEqualTo(KryoSerializer.CLASS_AND_OBJECT);
    assertThat(new String(exact, StandardCharsets.ISO_8859_1)).doesNotContain("User");
    assertThat(new String(named, StandardCharsets.ISO_8859_1)).contains("serialization.Use");
    // common JDK classes travel as a registration id, never by name
    assertThat(bytesOf(LocalDate.of(2024, 1, 1), Object.class)).hasSizeLessThan(8);
    assertThat(bytesOf(List.of(1, 2), Object.class)).hasSizeLessThan(8);
  }

  @Test
  void everyPreRegisteredClassIsInTheDefaultAllowlist() {
    TypeAllowlist defaults = TypeAllowlist.withDefaults();
    for (JdkRegistrations.Entry entry : JdkRegistrations.TABLE) {
      assertThat(defaults.isAllowed(entry.type())).as(entry.type().getName()).isTrue();
    }
  }

  @Test
  void readsValuesOfEverySizeWhetherCopiedOrReadInPlace() {
    // small values are copied into the context's own array (which grows), large ones are read in place
    for (int size : new int[] {0, 10, 255, 256, 257, 5_000, 64 * 1024 - 16, 64 * 1024 + 1, 300_000}) {
      byte[] bytes = new byte[size];
      for (int i = 0; i < size; i++) {
        bytes[i] = (byte) (i * 31);
      }
      ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
      try {
        buf.writeBytes(new byte[] {1, 2}).skipBytes(2);
        serializer.write(buf, bytes, byte[].class);
        serializer.write(buf, "after " + size, String.class);
        assertThat((byte[]) serializer.read(buf, byte[].class)).as("%d bytes", size).isEqualTo(bytes);
        assertThat(serializer.read(buf, String.class)).isEqualTo("after " + size);
        assertThat(buf.isReadable()).isFalse();
      } finally {
        buf.release();
      }
    }
  }

  // ---------------------------------------------------------------- malformed input

  @Test
  void rejectsLengthsLongerThanTheInputBeforeAllocating() {
    // byte[] declared: marker 1, then a varint length of about 2^31
    assertRejected(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, byte[].class);
    assertRejected(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, long[].class);
    assertRejected(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, String[].class);
    assertRejected(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, User[].class);
    // ArrayList and HashMap declared: marker 1, then an element count of about 2^31
    assertRejected(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, ArrayList.class);
    assertRejected(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, HashMap.class);
    // a string claiming about 2^31 bytes of UTF-8, and one whose header is negative
    assertRejected(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 'a'}, String.class);
    assertRejected(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 'a'}, String.class);
  }

  @Test
  void rejectsUnknownMarkers() {
    assertRejected(new byte[] {9}, User.class);
  }
}
