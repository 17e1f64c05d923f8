package io.courier.serialization.json;

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
import io.courier.testing.serialization.Page;
import io.courier.testing.serialization.Point;
import io.courier.testing.serialization.TypeRef;
import io.courier.testing.serialization.User;
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
class JsonSerializerTest {

  private static final Type PAGE_OF_USERS = new TypeRef<Page<User>>() {}.type();
  private static final Type LIST_OF_STRINGS = new TypeRef<List<String>>() {}.type();
  private static final Type MAP_OF_STRING_TO_USER = new TypeRef<Map<String, User>>() {}.type();

  private final TypeAllowlist allowlist = TypeAllowlist.withDefaults()
      .allowType(User.class).allowType(PAGE_OF_USERS).allowType(Point.class).allowType(Holder.class)
      .allowType(Color.class).allowType(MAP_OF_STRING_TO_USER);
  private final Serializer json = new JsonSerializerProvider().create(allowlist);

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
        new Object[] {ZonedDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHours(8)), ZonedDateTime.class},
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
        new Object[] {new ArrayList<>(List.of(1L, 2L)), new TypeRef<ArrayList<Long>>() {}.type()},
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
        new Object[] {new int[] {1, 2, 3}, int[].class},
        new Object[] {new String[] {"a", null, "c"}, String[].class},
        new Object[] {new User[] {User.sample(1), null}, User[].class},
        new Object[] {new Holder("text"), Holder.class});
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
  void writesReadableJsonWithIsoDatesAndNoClassNames() {
    String text = new String(bytesOf(User.sample(1), User.class), StandardCharsets.UTF_8);
    assertThat(text).startsWith("{").contains("\"birthday\":\"1984-12-24\"")
        .contains("\"createTime\":\"2024-03-01T09:30:15.123\"").contains("北京市海淀区")
        .doesNotContain("io.courier");
    assertThat(new String(bytesOf(Duration.ofSeconds(90), Duration.class), StandardCharsets.UTF_8))
        .isEqualTo("\"PT1M30S\"");
  }

  @Test
  void readsValuesDeclaredAsObjectAsPlainJsonData() {
    Object copy = roundTrip(User.sample(5), Object.class, Unpooled.buffer());
    assertThat(copy).isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) copy).get("name")).isEqualTo("Zhang San 5");
    assertThat(((Map<?, ?>) copy).get("birthday")).isEqualTo("1984-12-24");
    Holder holder = (Holder) roundTrip(new Holder(User.sample(6)), Holder.class, Unpooled.buffer());
    assertThat(holder.getPayload()).isInstanceOf(Map.class);
  }

  @Test
  void ignoresUnknownPropertiesAndAcceptsMissingOnes() {
    String text = "{\"id\":3,\"name\":\"x\",\"nickname\":\"ignored\",\"extra\":{\"a\":[1,2]}}";
    User user = (User) json.read(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), User.class);
    assertThat(user.getId()).isEqualTo(3);
    assertThat(user.getName()).isEqualTo("x");
    assertThat(user.getEmail()).isNull();
  }

  /** A model with a class-valued property: the one place JSON input names a class. */
  public record Typed(Class<?> type, String label) {}

  @Test
  void loadsClassValuedPropertiesOnlyFromTheAllowlist() {
    String allowed = "{\"type\":\"java.time.LocalDate\",\"label\":\"x\"}";
    assertThat(json.read(Unpooled.copiedBuffer(allowed, StandardCharsets.UTF_8), Typed.class))
        .isEqualTo(new Typed(LocalDate.class, "x"));
    String refused = "{\"type\":\"java.lang.ProcessBuilder\",\"label\":\"x\"}";
    ByteBuf buf = Unpooled.copiedBuffer(refused, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> json.read(buf, Typed.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("class java.lang.ProcessBuilder is not allowed");
    buf.release();
  }

  @Test
  void buildsOnlyDeclaredTypesWhateverTheInputSays() {
    // Jackson's polymorphic type ids mean nothing here: default typing is off
    String text = "[\"java.net.URL\",\"http://example.com\"]";
    Object value = json.read(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), Object.class);
    assertThat(value).isEqualTo(List.of("java.net.URL", "http://example.com"));
    String payload = "{\"payload\":[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]}";
    Holder holder = (Holder) json.read(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8), Holder.class);
    assertThat(holder.getPayload()).isInstanceOf(List.class);
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
      json.write(buf, User.sample(1), User.class);
      int first = buf.writerIndex();
      assertThat(first).isGreaterThan(3);
      json.write(buf, "second", String.class);
      buf.writeByte(0x7f); // something that is not part of either value

      assertThat(json.read(buf, User.class)).isEqualTo(User.sample(1));
      assertThat(buf.readerIndex()).isEqualTo(first);
      assertThat(json.read(buf, String.class)).isEqualTo("second");
      assertThat(buf.readableBytes()).isEqualTo(1);
    } finally {
      buf.release();
    }
  }

  @Test
  void readsFromACompositeBuffer() {
    ByteBuf whole = Unpooled.buffer();
    json.write(whole, User.sample(9), User.class);
    CompositeByteBuf composite = Unpooled.compositeBuffer();
    int half = whole.readableBytes() / 2;
    composite.addComponents(true, whole.retainedSlice(0, half),
        whole.retainedSlice(half, whole.readableBytes() - half));
    try {
      assertThat(json.read(composite, User.class)).isEqualTo(User.sample(9));
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
      json.writeArguments(buf, args, types);
      Object[] copy = json.readArguments(buf, types);
      assertThat(copy).hasSize(args.length);
      assertThat(copy[5]).isEqualTo(args[5]);
      copy[5] = args[5];
      assertThat(copy).containsExactly(args);
      assertThat(buf.readableBytes()).isZero();
      buf.clear();
      json.writeArguments(buf, new Object[0], new Type[0]);
      assertThat(json.readArguments(buf, new Type[0])).isEmpty();
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
    assertThat(json.unsupportedReason(User.class)).isNull();
    assertThat(json.unsupportedReason(PAGE_OF_USERS)).isNull();
    assertThat(json.unsupportedReason(int.class)).isNull();
    assertThat(json.unsupportedReason(InputStream.class)).contains("json").contains("java.io.InputStream");
    assertThat(json.unsupportedReason(Thread.class)).contains("java.lang.Thread");
    assertThat(json.unsupportedReason(java.net.Socket.class)).contains("java.net.Socket");
    assertThat(json.unsupportedReason(new TypeRef<List<InputStream>>() {}.type())).contains("InputStream");
  }

  // ---------------------------------------------------------------- malformed input

  @Test
  void rejectsEveryTruncationOfAValue() {
    byte[] whole = bytesOf(new Page<>(1, 2, List.of(User.sample(1), User.sample(2))), PAGE_OF_USERS);
    for (int length = 0; length < whole.length; length++) {
      ByteBuf truncated = Unpooled.wrappedBuffer(whole, 0, length);
      assertThatThrownBy(() -> json.read(truncated, PAGE_OF_USERS))
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
    // the reader that saw all of that still reads correctly
    Page<User> page = new Page<>(1, 2, List.of(User.sample(1), User.sample(2)));
    assertThat(roundTrip(page, PAGE_OF_USERS, Unpooled.buffer())).isEqualTo(page);
  }

  @Test
  void rejectsMalformedDocuments() {
    for (String text : List.of("", "   ", "{", "[1,2", "{\"id\":}", "nul", "\"unterminated", "{\"id\":\"abc\"}",
        "[1,2,3]", "\uFFFF")) {
      assertRejected(text.getBytes(StandardCharsets.UTF_8), User.class);
    }
    assertRejected("12345678901234567890123".getBytes(StandardCharsets.UTF_8), int.class);
    assertRejected("1".repeat(5000).getBytes(StandardCharsets.UTF_8), java.math.BigInteger.class);
  }

  @Test
  void rejectsNestingDeeperThanTheLimit() {
    byte[] deep = ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
    assertRejected(deep, Object.class);
    assertRejected(deep, List.class);
    ByteBuf out = Unpooled.buffer();
    try {
      assertThatThrownBy(() -> json.write(out, nested(JsonSerializer.MAX_DEPTH + 10), Object.class))
          .isInstanceOf(SerializationException.class);
      assertThat(out.writerIndex()).isZero();
    } finally {
      out.release();
    }
    assertThat(roundTrip(nested(100), Object.class, Unpooled.buffer())).isEqualTo(nested(100));
  }

  @Test
  void readsTheArgumentsArrayStrictly() {
    Type[] types = {int.class, String.class};
    assertRejected("[1]".getBytes(StandardCharsets.UTF_8), types);
    assertRejected("[1,\"a\",3]".getBytes(StandardCharsets.UTF_8), types);
    assertRejected("{\"a\":1}".getBytes(StandardCharsets.UTF_8), types);
    assertRejected("[\"x\",\"a\"]".getBytes(StandardCharsets.UTF_8), types);
    assertRejected("[1,\"a\"".getBytes(StandardCharsets.UTF_8), types);
    ByteBuf buf = Unpooled.copiedBuffer("[ 1 , \"a\" ] trailing", StandardCharsets.UTF_8);
    assertThat(json.readArguments(buf, types)).containsExactly(1, "a");
    assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(" trailing");
  }

  @Test
  void providerIsFoundByTheServiceLoader() {
    SerializerSet set = SerializerSet.load(TypeAllowlist.withDefaults());
    Serializer found = set.byName("json");
    assertThat(found).isInstanceOf(JsonSerializer.class);
    assertThat(found.id()).isEqualTo((byte) 4);
    assertThat(found.name()).isEqualTo("json");
    assertThat(set.byId(4)).isSameAs(found);
  }

  // ---------------------------------------------------------------- helpers

  private Object roundTrip(Object value, Type type, ByteBuf buf) {
    return SerializerRoundTrip.roundTrip(json, value, type, buf);
  }

  private byte[] bytesOf(Object value, Type type) {
    return SerializerRoundTrip.bytesOf(json, value, type);
  }

  private void assertRejected(byte[] bytes, Type type) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    assertThatThrownBy(() -> json.read(buf, type)).isInstanceOf(SerializationException.class);
    assertThat(buf.readerIndex()).isZero();
  }

  private void readExpectingOnlySerializationException(byte[] bytes, Type type) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      json.read(buf, type);
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

  private void assertRejected(byte[] bytes, Type[] types) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    assertThatThrownBy(() -> json.readArguments(buf, types)).isInstanceOf(SerializationException.class);
    assertThat(buf.readerIndex()).isZero();
  }

}
