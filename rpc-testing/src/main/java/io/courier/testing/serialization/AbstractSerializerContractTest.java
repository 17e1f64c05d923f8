package io.courier.testing.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.SerializerRoundTrip;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.net.Socket;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every serializer of plain Java classes must have (kryo, hessian, json): round trips through heap,
 * direct and composite buffers, argument arrays, nulls, the reader index after each value, truncated and garbage
 * input refused only with a {@link SerializationException}, the nesting limit, thread safety, discovery through
 * {@link java.util.ServiceLoader} and the reasons it gives for types it cannot carry. A serializer's test extends
 * this, names its provider and the details in which formats differ, and adds tests of its own. Formats that name
 * classes on the wire extend {@link AbstractClassNamingSerializerContractTest} instead.
 *
 * <p>Each test gets a fresh {@link #allowlist} (the fixtures of this package, allowed by type) and a
 * {@link #serializer} created from it.
 *
 * <pre>{@code
 * class JsonSerializerTest extends AbstractSerializerContractTest {
 *   @Override protected SerializerProvider provider() { return new JsonSerializerProvider(); }
 *   @Override protected int expectedId() { return 4; }
 *   ...
 * }
 * }</pre>
 */
@Timeout(30)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractSerializerContractTest {

  protected static final Type PAGE_OF_USERS = new TypeRef<Page<User>>() {}.type();
  protected static final Type LIST_OF_STRINGS = new TypeRef<List<String>>() {}.type();
  protected static final Type MAP_OF_STRING_TO_USER = new TypeRef<Map<String, User>>() {}.type();

  /** The allowlist {@link #serializer} reads with; live, so a test may widen it. */
  protected TypeAllowlist allowlist;
  /** The serializer under test, created from {@link #allowlist} before each test. */
  protected Serializer serializer;

  /** The provider of the serializer under test. */
  protected abstract SerializerProvider provider();

  /** The name the serializer is known by, in {@link SerializerSet} and in its messages: "kryo". */
  protected abstract String expectedName();

  /** The serializer id on the wire. */
  protected abstract int expectedId();

  /**
   * The round-trip values this format carries beyond {@link #sharedValues()}, as {value, declared type} pairs:
   * where formats differ (a zone by region or by offset, {@code Optional}, a raw {@code ArrayList}, a value
   * declared as {@code Object}).
   */
  protected abstract Stream<Object[]> formatValues();

  /** The encoding of about {@code levels} lists nested in one another, declared as {@code Object}. */
  protected abstract byte[] nestedLists(int levels);

  /** The deepest nesting the serializer reads (and, if {@link #refusesToWriteDeeperThanItReads()}, writes). */
  protected abstract int maxDepth();

  /** Whether the writer, too, refuses a value nested deeper than {@link #maxDepth()} (hessian's does not). */
  protected boolean refusesToWriteDeeperThanItReads() {
    return true;
  }

  /** The declared types as which {@link #nestedLists} input 100,000 levels deep must be refused. */
  protected List<Type> deeplyNestedDeclaredAs() {
    return List.of(Object.class);
  }

  @BeforeEach
  void createSerializer() {
    allowlist = TypeAllowlist.withDefaults()
        .allowType(User.class).allowType(PAGE_OF_USERS).allowType(Point.class).allowType(Holder.class)
        .allowType(Color.class).allowType(MAP_OF_STRING_TO_USER);
    serializer = provider().create(allowlist);
  }

  // ---------------------------------------------------------------- round trips

  /** The values every format carries, each with the type it is declared as. */
  protected static Stream<Object[]> sharedValues() {
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
        new Object[] {"héllo wörld — 你好，世界 🌍", String.class},
        new Object[] {"", String.class},
        new Object[] {new int[] {1, 2, 3}, int[].class},
        new Object[] {new String[] {"a", null, "c"}, String[].class},
        new Object[] {new User[] {User.sample(1), null}, User[].class});
  }

  /** Every round-trip value of this format: {@link #sharedValues()} and {@link #formatValues()}. */
  protected Stream<Object[]> values() {
    return Stream.concat(sharedValues(), formatValues());
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
      serializer.write(buf, User.sample(1), User.class);
      int first = buf.writerIndex();
      assertThat(first).isGreaterThan(3);
      serializer.write(buf, "second", String.class);
      buf.writeByte(0x7f); // something that is not part of either value

      assertThat(serializer.read(buf, User.class)).isEqualTo(User.sample(1));
      assertThat(buf.readerIndex()).isEqualTo(first);
      assertThat(serializer.read(buf, String.class)).isEqualTo("second");
      assertThat(buf.readableBytes()).isEqualTo(1);
    } finally {
      buf.release();
    }
  }

  @Test
  void readsFromACompositeBuffer() {
    ByteBuf whole = Unpooled.buffer();
    serializer.write(whole, User.sample(9), User.class);
    CompositeByteBuf composite = Unpooled.compositeBuffer();
    int half = whole.readableBytes() / 2;
    composite.addComponents(true, whole.retainedSlice(0, half),
        whole.retainedSlice(half, whole.readableBytes() - half));
    try {
      assertThat(serializer.read(composite, User.class)).isEqualTo(User.sample(9));
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
      serializer.writeArguments(buf, args, types);
      Object[] copy = serializer.readArguments(buf, types);
      assertThat(copy).hasSize(args.length);
      assertThat(copy[5]).isEqualTo(args[5]);
      copy[5] = args[5];
      assertThat(copy).containsExactly(args);
      assertThat(buf.readableBytes()).isZero();
      buf.clear();
      serializer.writeArguments(buf, new Object[0], new Type[0]);
      assertThat(serializer.readArguments(buf, new Type[0])).isEmpty();
    } finally {
      buf.release();
    }
  }

  @Test
  void isThreadSafe() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 300; i++) {
            User user = User.sample(seed * 1000L + i);
            assertThat(roundTrip(user, User.class, Unpooled.buffer())).isEqualTo(user);
          }
        }));
      }
      for (Future<?> future : futures) {
        future.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- unsupported types

  @Test
  void explainsWhichTypesItCannotCarry() {
    assertThat(serializer.unsupportedReason(User.class)).isNull();
    assertThat(serializer.unsupportedReason(PAGE_OF_USERS)).isNull();
    assertThat(serializer.unsupportedReason(int.class)).isNull();
    assertThat(serializer.unsupportedReason(InputStream.class)).contains(expectedName())
        .contains("java.io.InputStream");
    assertThat(serializer.unsupportedReason(Thread.class)).contains("java.lang.Thread");
    assertThat(serializer.unsupportedReason(Socket.class)).contains("java.net.Socket");
    assertThat(serializer.unsupportedReason(new TypeRef<List<InputStream>>() {}.type())).contains("InputStream");
  }

  // ---------------------------------------------------------------- malformed input

  @Test
  void rejectsEveryTruncationOfAValue() {
    byte[] whole = bytesOf(new Page<>(1, 2, List.of(User.sample(1), User.sample(2))), PAGE_OF_USERS);
    for (int length = 0; length < whole.length; length++) {
      ByteBuf truncated = Unpooled.wrappedBuffer(whole, 0, length);
      assertThatThrownBy(() -> serializer.read(truncated, PAGE_OF_USERS))
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
    // the (pooled) reader that saw all of that still reads correctly
    Page<User> page = new Page<>(1, 2, List.of(User.sample(1), User.sample(2)));
    assertThat(roundTrip(page, PAGE_OF_USERS, Unpooled.buffer())).isEqualTo(page);
  }

  @Test
  void rejectsNestingDeeperThanTheLimit() {
    byte[] deep = nestedLists(100_000);
    for (Type type : deeplyNestedDeclaredAs()) {
      assertRejected(deep, type);
    }
    if (refusesToWriteDeeperThanItReads()) { // and a writer refuses to produce it
      ByteBuf out = Unpooled.buffer();
      try {
        assertThatThrownBy(() -> serializer.write(out, nested(maxDepth() + 10), Object.class))
            .isInstanceOf(SerializationException.class);
        assertThat(out.writerIndex()).isZero();
      } finally {
        out.release();
      }
    }
    assertThat(roundTrip(nested(100), Object.class, Unpooled.buffer())).isEqualTo(nested(100));
  }

  // ---------------------------------------------------------------- discovery

  @Test
  void providerIsFoundByTheServiceLoader() {
    SerializerSet set = SerializerSet.load(TypeAllowlist.withDefaults());
    Serializer found = set.byName(expectedName());
    assertThat(found).isInstanceOf(serializer.getClass());
    assertThat(found.id()).isEqualTo((byte) expectedId());
    assertThat(found.name()).isEqualTo(expectedName());
    assertThat(set.byId(expectedId())).isSameAs(found);
  }

  // ---------------------------------------------------------------- helpers

  /** {@link SerializerRoundTrip#roundTrip} with the serializer under test; releases {@code buf}. */
  protected Object roundTrip(Object value, Type type, ByteBuf buf) {
    return SerializerRoundTrip.roundTrip(serializer, value, type, buf);
  }

  /** The bytes the serializer under test writes for {@code value} as {@code type}. */
  protected byte[] bytesOf(Object value, Type type) {
    return SerializerRoundTrip.bytesOf(serializer, value, type);
  }

  /** Asserts that reading {@code bytes} as {@code type} throws a {@link SerializationException} and consumes none. */
  protected void assertRejected(byte[] bytes, Type type) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    assertThatThrownBy(() -> serializer.read(buf, type)).isInstanceOf(SerializationException.class);
    assertThat(buf.readerIndex()).isZero();
  }

  private void readExpectingOnlySerializationException(byte[] bytes, Type type) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      serializer.read(buf, type);
      assertThat(buf.readerIndex()).isLessThanOrEqualTo(bytes.length);
    } catch (SerializationException expected) {
      // fine
    } catch (Throwable t) {
      fail("read of " + ByteBufUtil.hexDump(bytes) + " as " + type + " threw " + t, t);
    }
  }

  /** {@code depth} lists nested in one another: {@code nested(1)} is an empty list. */
  protected static List<Object> nested(int depth) {
    List<Object> list = new ArrayList<>();
    for (int i = 1; i < depth; i++) {
      List<Object> outer = new ArrayList<>();
      outer.add(list);
      list = outer;
    }
    return list;
  }
}
