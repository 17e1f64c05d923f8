package io.courier.serialization.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.SerializerRoundTrip;
import io.courier.testing.serialization.Color;
import io.courier.testing.serialization.Point;
import io.courier.testing.serialization.TypeRef;
import io.courier.testing.serialization.User;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Courier's string encoding inside kryo values: a varint of the UTF-8 length plus one, then the bytes. */
@Timeout(30)
class KryoStringTest {

  private static final Type LIST_OF_STRINGS = new TypeRef<List<String>>() {}.type();

  private final Serializer kryo = new KryoSerializerProvider()
      .create(TypeAllowlist.withDefaults().allowType(User.class).allowType(Point.class).allowType(Color.class));

  static Stream<String> strings() {
    char[] wide = new char[70_000]; // more than one output buffer, and read in place (not copied) on a direct buffer
    Arrays.fill(wide, 'é');
    return Stream.of("", "a", "plain ascii, with punctuation!", "é", "Ünïcødé", "北京市海淀区中关村大街",
        "emoji 🚀🌍 and a pair of surrogates", "\u0000 nul and \u007f del and \u0080 c1", "x".repeat(126),
        "x".repeat(127), "x".repeat(128), "x".repeat(1024), "x".repeat(1025), "é".repeat(1024), "é".repeat(1025),
        "y".repeat(5000), new String(wide), "mixed " + "北🚀é".repeat(3000));
  }

  @ParameterizedTest
  @MethodSource("strings")
  void roundTripsOnHeapPooledAndDirectBuffers(String value) {
    for (ByteBuf buf : List.of(Unpooled.buffer(), Unpooled.directBuffer(), PooledByteBufAllocator.DEFAULT.buffer())) {
      try {
        kryo.write(buf, value, String.class);
        assertThat(kryo.read(buf, String.class)).isEqualTo(value);
        assertThat(buf.readableBytes()).isZero();
      } finally {
        buf.release();
      }
    }
  }

  @Test
  void layoutIsALengthPlusOneThenUtf8() {
    assertThat(bytesOf(null, String.class)).containsExactly(0); // the null marker, before any string
    assertThat(bytesOf("", String.class)).containsExactly(1, 1);
    assertThat(bytesOf("hé", String.class)).containsExactly(1, 4, 'h', 0xc3, 0xa9);
    byte[] long128 = bytesOf("z".repeat(128), String.class); // 129 needs a two-byte varint
    assertThat(Arrays.copyOf(long128, 3)).containsExactly(1, 0x81, 0x01);
    assertThat(long128).hasSize(3 + 128);
    // inside an object, a null field is the single byte 0 and an empty one the single byte 1
    assertThat(bytesOf(Arrays.asList("a", null, ""), LIST_OF_STRINGS)).endsWith(0x02, 'a', 0x00, 0x01);
  }

  @Test
  void nullAndEmptyStringsInFieldsAndCollectionsStayDistinct() {
    Point point = new Point(1, 2L, null, Color.RED, Arrays.asList("", null, "b"), null);
    assertThat(roundTrip(point, Point.class)).isEqualTo(point);
    User user = User.sample(3);
    user.setName("");
    user.setEmail(null);
    assertThat(roundTrip(user, User.class)).isEqualTo(user);
  }

  @Test
  void anUnpairedSurrogateBecomesAQuestionMark() {
    assertThat(roundTrip("a\ud800b", String.class)).isEqualTo("a?b");
    assertThat(roundTrip("\udc00", String.class)).isEqualTo("?");
  }

  @Test
  void malformedUtf8BecomesTheReplacementCharacter() {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {1, 4, 'a', (byte) 0xc3, 'b'});
    assertThat(kryo.read(buf, String.class)).isEqualTo("a\ufffdb");
  }

  @Test
  void refusesLengthsBeyondTheInputBeforeAllocating() {
    assertRejected(new byte[] {1, 5, 'a', 'b', 'c'}); // 4 bytes claimed, 3 present
    assertRejected(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}); // 2^31 - 2 bytes
    assertRejected(new byte[] {1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}); // Integer.MIN_VALUE
    assertRejected(new byte[] {1, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}); // -2
    assertRejected(new byte[] {1, (byte) 0x80}); // a varint cut short
    assertRejected(new byte[] {1});
  }

  @Test
  void randomStringsAreEncodedAsTheJdkEncodesThem() {
    Random random = new Random(20261201);
    for (int i = 0; i < 3000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(i % 2 == 0 ? 100 : 2100); // both sides of the short-string limit (1024)
      for (int j = 0; j < length; j++) {
        switch (random.nextInt(6)) {
          case 0, 1 -> text.append((char) random.nextInt(0x80));
          case 2 -> text.append((char) (0x80 + random.nextInt(0x780)));
          case 3 -> text.append((char) (0x800 + random.nextInt(0xd800 - 0x800)));
          case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
          default -> text.append((char) (0xd800 + random.nextInt(0x800))); // a lone surrogate
        }
      }
      String value = text.toString();
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      byte[] written = bytesOf(value, String.class);
      assertThat(Arrays.copyOfRange(written, written.length - utf8.length, written.length)).isEqualTo(utf8);
      assertThat(written.length - utf8.length).as("marker and length").isBetween(2, 4);
      assertThat(roundTrip(value, String.class)).isEqualTo(new String(utf8, StandardCharsets.UTF_8));
    }
  }

  private Object roundTrip(Object value, Type type) {
    return SerializerRoundTrip.roundTrip(kryo, value, type);
  }

  private byte[] bytesOf(Object value, Type type) {
    return SerializerRoundTrip.bytesOf(kryo, value, type);
  }

  private void assertRejected(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    assertThatThrownBy(() -> kryo.read(buf, String.class)).isInstanceOf(SerializationException.class);
    assertThat(buf.readerIndex()).isZero();
  }
}
