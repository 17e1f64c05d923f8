package io.courier.serialization.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.SerializerRoundTrip;
import io.courier.testing.serialization.Color;
import io.courier.testing.serialization.Holder;
import io.courier.testing.serialization.Nesting;
import io.courier.testing.serialization.Page;
import io.courier.testing.serialization.Point;
import io.courier.testing.serialization.TypeRef;
import io.courier.testing.serialization.User;
import io.courier.testing.serialization.trap.Bait;
import io.courier.testing.serialization.trap.Trap;
import io.courier.testing.serialization.trap.TrapFlags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class KryoSerializerTest {

  private static final Type PAGE_OF_USERS = new TypeRef<Page<User>>() {}.type();
  private static final Type LIST_OF_STRINGS = new TypeRef<List<String>>() {}.type();
  private static final Type MAP_OF_STRING_TO_USER = new TypeRef<Map<String, User>>() {}.type();

  private final TypeAllowlist allowlist = TypeAllowlist.withDefaults()
      .allowType(User.class).allowType(PAGE_OF_USERS).allowType(Point.class).allowType(Holder.class)
      .allowType(Color.class).allowType(MAP_OF_STRING_TO_USER);
  private final Serializer kryo = new KryoSerializerProvider().create(allowlist);

  private static final ExecutorService POOL = Executors.newFixedThreadPool(4);

  @AfterAll
  static void shutdown() throws InterruptedException {
    POOL.shutdownNow();
    POOL.awaitTermination(10, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------- round trips

  static Stream<Object[]> values() {
    return Stream.of(
        new Object[] {User.sample(7), User.class},
        new Object[] {new Page<>(2, 41, List.of(User.sample(1), User.sample(2))), PAGE_OF_USERS},
        new Object[] {new Point(3, -4L, "p", Color.BLUE, List.of("a", "b"), Instant.parse("2024-01-02T03:04:05Z")),
            Point.class},
        new Object[] {Color.RED, Color.class},
        new Object[] {Color.BLUE, Color.class},
        new Object[] {LocalDate.of(2024, 2, 29), LocalDate.class},
        new Object[] {LocalDateTime.of(2024, 2, 29, 23, 59, 58, 999), LocalDateTime.class},
        new Object[] {LocalTime.NOON, LocalTime.class},
        new Object[] {Instant.ofEpochSecond(1_700_000_000L, 123), Instant.class},
        new Object[] {Duration.ofMillis(1234567), Duration.class},
        new Object[] {Period.of(1, 2, 3), Period.class},
        new Object[] {ZonedDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")), ZonedDateTime.class},
        new Object[] {OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHours(-3)), OffsetDateTime.class},
        new Object[] {ZoneId.of("Asia/Shanghai"), ZoneId.class},
        new Object[] {DayOfWeek.FRIDAY, DayOfWeek.class},
        new Object[] {List.of(1, 2, 3), new TypeRef<List<Integer>>() {}.type()},
        new Object[] {List.of(), List.class},
        new Object[] {List.of("x"), LIST_OF_STRINGS},
        new Object[] {List.of(1, 2, 3, 4).subList(1, 3), List.class},
        new Object[] {Set.of("a", "b", "c"), Set.class},
        new Object[] {Map.of("k", 1, "l", 2), Map.class},
        new Object[] {Map.of(), Map.class},
        new Object[] {Collections.unmodifiableList(new ArrayList<>(List.of("u", "v"))), LIST_OF_STRINGS},
        new Object[] {Collections.unmodifiableSet(new TreeSet<>(Set.of(3, 1, 2))), Set.class},
        new Object[] {Collections.unmodifiableMap(new LinkedHashMap<>(Map.of("a", 1))), Map.class},
        new Object[] {Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("b", 2, "a", 1))), Map.class},
        new Object[] {Arrays.asList("p", null, "q"), LIST_OF_STRINGS},
        new Object[] {Collections.emptyList(), List.class},
        new Object[] {Collections.singletonMap("one", 1), Map.class},
        new Object[] {new ArrayList<>(List.of(1L, 2L)), ArrayList.class},
        new Object[] {new HashMap<>(Map.of("u", User.sample(3))), MAP_OF_STRING_TO_USER},
        new Object[] {42, int.class},
        new Object[] {42, Integer.class},
        new Object[] {-7L, long.class},
        new Object[] {true, boolean.class},
        new Object[] {3.5d, double.class},
        new Object[] {2.5f, Float.class},
        new Object[] {(short) 9, short.class},
        new Object[] {(byte) -1, Byte.class},
        new Object[] {'字', char.class},
        new Object[] {new BigDecimal("12345.6789"), BigDecimal.class},
        new Object[] {UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), UUID.class},
        new Object[] {Optional.of("x"), Optional.class},
        new Object[] {"héllo wörld — 你好，世界 🌍", String.class},
        new Object[] {"", String.class},
        new Object[] {User.sample(5), Object.class},
        new Object[] {List.of(User.sample(6)), Object.class},
        new Object[] {new int[] {1, 2, 3}, int[].class},
        new Object[] {new String[] {"a", null, "c"}, String[].class},
        new Object[] {new User[] {User.sample(1), null}, User[].class},
        new Object[] {new Holder(LocalDate.of(2000, 1, 1)), Holder.class});
  }

  @ParameterizedTest
  @MethodSource("values")
  void roundTripsOnHeapAndDirectBuffers(Object value, Type type) {
    assertThat(roundTrip(value, type, Unpooled.buffer())).isEqualTo(value);
    assertThat(roundTrip(value, type, PooledByteBufAllocator.DEFAULT.directBuffer())).isEqualTo(value);
  }

  @Test
  void roundTripsByteArrays() {
    byte[] bytes = "bytes \u00e9\u4e2d".getBytes(StandardCharsets.UTF_8);
    assertThat((byte[]) roundTrip(bytes, byte[].class, Unpooled.buffer())).isEqualTo(bytes);
    assertThat((byte[]) roundTrip(new byte[0], byte[].class, Unpooled.buffer())).isEmpty();
  }

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
  void readsNullForEveryKindOfType() {
    for (Type type : List.of(User.class, PAGE_OF_USERS, Point.class, Color.class, String.class, Integer.class,
        LocalDate.class, List.class, Map.class, byte[].class, Object.class)) {
      assertThat(roundTrip(null, type, Unpooled.buffer())).as(type.getTypeName()).isNull();
    }
  }

  @Test
  void leavesTheReaderIndexJustPastEachValue() {
    leavesTheReaderIndexJustPastEachValue(Unpooled.buffer());
    leavesTheReaderIndexJustPastEachValue(PooledByteBufAllocator.DEFAULT.directBuffer());
    leavesTheReaderIndexJustPastEachValue(PooledByteBufAllocator.DEFAULT.heapBuffer());
  }

  private void leavesTheReaderIndexJustPastEachValue(ByteBuf buf) {
    try {
      buf.writeBytes(new byte[] {9, 9, 9}).skipBytes(3); // start away from index 0
      kryo.write(buf, User.sample(1), User.class);
      int first = buf.writerIndex();
      assertThat(first).isGreaterThan(3);
      kryo.write(buf, "second", String.class);
      buf.writeByte(0x7f); // something that is not part of either value

      assertThat(kryo.read(buf, User.class)).isEqualTo(User.sample(1));
      assertThat(buf.readerIndex()).isEqualTo(first);
      assertThat(kryo.read(buf, String.class)).isEqualTo("second");
      assertThat(buf.readableBytes()).isEqualTo(1);
    } finally {
      buf.release();
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
        kryo.write(buf, bytes, byte[].class);
        kryo.write(buf, "after " + size, String.class);
        assertThat((byte[]) kryo.read(buf, byte[].class)).as("%d bytes", size).isEqualTo(bytes);
        assertThat(kryo.read(buf, String.class)).isEqualTo("after " + size);
        assertThat(buf.isReadable()).isFalse();
      } finally {
        buf.release();
      }
    }
  }

  @Test
  void readsFromACompositeBuffer() {
    ByteBuf whole = Unpooled.buffer();
    kryo.write(whole, User.sample(9), User.class);
    CompositeByteBuf composite = Unpooled.compositeBuffer();
    int half = whole.readableBytes() / 2;
    composite.addComponents(true, whole.retainedSlice(0, half),
        whole.retainedSlice(half, whole.readableBytes() - half));
    try {
      assertThat(kryo.read(composite, User.class)).isEqualTo(User.sample(9));
      assertThat(composite.readableBytes()).isZero();
    } finally {
      composite.release();
      whole.release();
    }
  }

  @Test
  void roundTripsArgumentArrays() {
    Type[] types = {long.class, String.class, User.class, PAGE_OF_USERS, LIST_OF_STRINGS, byte[].class,
        Color.class, LocalDateTime.class, Object.class};
    Object[] args = {5L, "naïve", User.sample(3), new Page<>(1, 1, List.of(User.sample(4))), List.of("a"),
        new byte[] {1, 2}, Color.GREEN, LocalDateTime.of(2020, 1, 1, 0, 0), null};
    ByteBuf buf = Unpooled.buffer();
    try {
      kryo.writeArguments(buf, args, types);
      Object[] copy = kryo.readArguments(buf, types);
      assertThat(copy).hasSize(args.length);
      assertThat(copy[5]).isEqualTo(args[5]);
      copy[5] = args[5];
      assertThat(copy).containsExactly(args);
      assertThat(buf.readableBytes()).isZero();
      buf.clear();
      kryo.writeArguments(buf, new Object[0], new Type[0]);
      assertThat(kryo.readArguments(buf, new Type[0])).isEmpty();
    } finally {
      buf.release();
    }
  }

  @Test
  void isThreadSafe() throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int seed = t;
      futures.add(POOL.submit(() -> {
        for (int i = 0; i < 300; i++) {
          User user = User.sample(seed * 1000L + i);
          assertThat(roundTrip(user, User.class, Unpooled.buffer())).isEqualTo(user);
        }
      }));
    }
    for (Future<?> future : futures) {
      future.get(20, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- unsupported types

  @Test
  void explainsWhichTypesItCannotCarry() {
    assertThat(kryo.unsupportedReason(User.class)).isNull();
    assertThat(kryo.unsupportedReason(PAGE_OF_USERS)).isNull();
    assertThat(kryo.unsupportedReason(int.class)).isNull();
    assertThat(kryo.unsupportedReason(InputStream.class)).contains("kryo").contains("java.io.InputStream");
    assertThat(kryo.unsupportedReason(Thread.class)).contains("java.lang.Thread");
    assertThat(kryo.unsupportedReason(java.net.Socket.class)).contains("java.net.Socket");
    assertThat(kryo.unsupportedReason(new TypeRef<List<InputStream>>() {}.type())).contains("InputStream");
  }

  // ---------------------------------------------------------------- malformed input

  @Test
  void rejectsEveryTruncationOfAValue() {
    byte[] whole = bytesOf(new Page<>(1, 2, List.of(User.sample(1), User.sample(2))), PAGE_OF_USERS);
    for (int length = 0; length < whole.length; length++) {
      ByteBuf truncated = Unpooled.wrappedBuffer(whole, 0, length);
      assertThatThrownBy(() -> kryo.read(truncated, PAGE_OF_USERS))
          .as("first %d of %d bytes", length, whole.length)
          .isInstanceOf(SerializationException.class);
      assertThat(truncated.readerIndex()).isZero();
    }
  }

  @Test
  void turnsGarbageIntoSerializationExceptionsOnly() {
    Random random = new Random(42);
    byte[] valid = bytesOf(User.sample(1), Object.class);
    for (int i = 0; i < 1000; i++) {
      byte[] garbage;
      if (i % 2 == 0) {
        garbage = new byte[random.nextInt(64)];
        random.nextBytes(garbage);
      } else { // a valid value with a few bytes flipped
        garbage = valid.clone();
        for (int j = 0; j < 3; j++) {
          garbage[random.nextInt(garbage.length)] = (byte) random.nextInt(256);
        }
      }
      for (Type type : List.of(Object.class, User.class, PAGE_OF_USERS)) {
        readExpectingOnlySerializationException(garbage, type);
      }
    }
    // the pooled reader that saw all of that still reads correctly
    Page<User> page = new Page<>(1, 2, List.of(User.sample(1), User.sample(2)));
    assertThat(roundTrip(page, PAGE_OF_USERS, Unpooled.buffer())).isEqualTo(page);
  }

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
  void rejectsNestingDeeperThanTheLimit() {
    byte[] deep = Nesting.repeat(bytesOf(nested(1), Object.class), bytesOf(nested(2), Object.class),
        bytesOf(nested(3), Object.class), 100_000);
    assertRejected(deep, Object.class);
    // and a writer refuses to produce it
    ByteBuf out = Unpooled.buffer();
    try {
      assertThatThrownBy(() -> kryo.write(out, nested(KryoSerializer.MAX_DEPTH + 10), Object.class))
          .isInstanceOf(SerializationException.class);
      assertThat(out.writerIndex()).isZero();
    } finally {
      out.release();
    }
    assertThat(roundTrip(nested(100), Object.class, Unpooled.buffer())).isEqualTo(nested(100));
  }

  @Test
  void rejectsUnknownMarkersAndClassesThatAreNotThere() {
    assertRejected(new byte[] {9}, User.class);
    assertRejected(new byte[0], User.class);
    byte[] value = bytesOf(new Holder(new Bait("x")), Holder.class);
    byte[] renamed = rename(value, "trap.Bait", "trap.Bxxx");
    Serializer permissive = new KryoSerializerProvider()
        .create(TypeAllowlist.withDefaults().allowPackage("io.courier.testing.serialization"));
    assertThatThrownBy(() -> permissive.read(Unpooled.wrappedBuffer(renamed), Holder.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("trap.Bxxx");
  }

  // ---------------------------------------------------------------- allowlist

  @Test
  void refusesClassesOutsideTheAllowlistWithoutInstantiatingThem() {
    // Bait and Trap have the same shape and the same name length: Bait's bytes, renamed, are Trap's bytes.
    byte[] baitBytes = bytesOf(new Holder(new Bait("payload")), Holder.class);
    byte[] trapBytes = rename(baitBytes, "trap.Bait", "trap.Trap");

    assertThatThrownBy(() -> kryo.read(Unpooled.wrappedBuffer(trapBytes), Holder.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("class io.courier.testing.serialization.trap.Trap is not allowed")
        .hasMessageContaining("TypeAllowlist.allowClass");
    // declared as the class itself: no name on the wire, the declared type is checked
    byte[] declared = bytesOf(new Bait("direct"), Bait.class);
    assertThatThrownBy(() -> kryo.read(Unpooled.wrappedBuffer(declared), Trap.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("io.courier.testing.serialization.trap.Trap is not allowed");
    assertThat(TrapFlags.initialized).isFalse();
    assertThat(TrapFlags.constructed).isFalse();

    allowlist.allowPackage("io.courier.testing.serialization.trap"); // the allowlist is live
    Holder holder = (Holder) kryo.read(Unpooled.wrappedBuffer(trapBytes), Holder.class);
    assertThat(holder.getPayload()).isInstanceOf(Trap.class);
    assertThat(((Trap) holder.getPayload()).getText()).isEqualTo("payload");
  }

  @Test
  void providerIsFoundByTheServiceLoader() {
    SerializerSet set = SerializerSet.load(TypeAllowlist.withDefaults());
    Serializer found = set.byName("kryo");
    assertThat(found).isInstanceOf(KryoSerializer.class);
    assertThat(found.id()).isEqualTo((byte) 1);
    assertThat(found.name()).isEqualTo("kryo");
    assertThat(set.byId(1)).isSameAs(found);
  }

  // ---------------------------------------------------------------- helpers

  private Object roundTrip(Object value, Type type, ByteBuf buf) {
    return SerializerRoundTrip.roundTrip(kryo, value, type, buf);
  }

  private byte[] bytesOf(Object value, Type type) {
    return SerializerRoundTrip.bytesOf(kryo, value, type);
  }

  private void assertRejected(byte[] bytes, Type type) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    assertThatThrownBy(() -> kryo.read(buf, type)).isInstanceOf(SerializationException.class);
    assertThat(buf.readerIndex()).isZero();
  }

  private void readExpectingOnlySerializationException(byte[] bytes, Type type) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      kryo.read(buf, type);
      assertThat(buf.readerIndex()).isLessThanOrEqualTo(bytes.length);
    } catch (SerializationException expected) {
      // fine
    } catch (Throwable t) {
      fail("read of " + ByteBufUtil.hexDump(bytes) + " as " + type + " threw " + t, t);
    }
  }

  private static List<Object> nested(int depth) {
    List<Object> list = new ArrayList<>();
    for (int i = 1; i < depth; i++) {
      List<Object> outer = new ArrayList<>();
      outer.add(list);
      list = outer;
    }
    return list;
  }

  private static byte[] rename(byte[] bytes, String from, String to) {
    // class names travel as a length and their UTF-8 bytes, so a name of the same length replaces in place
    assertThat(to).hasSameSizeAs(from);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertThat(text).contains(from);
    return text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
  }
}
