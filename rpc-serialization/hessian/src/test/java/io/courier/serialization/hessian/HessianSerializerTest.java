package io.courier.serialization.hessian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alibaba.com.caucho.hessian.io.Hessian2Input;
import com.alibaba.com.caucho.hessian.io.SerializerFactory;
import io.courier.serialization.SerializationException;
import io.courier.serialization.SerializerProvider;
import io.courier.testing.serialization.AbstractClassNamingSerializerContractTest;
import io.courier.testing.serialization.Color;
import io.courier.testing.serialization.Holder;
import io.courier.testing.serialization.Nesting;
import io.courier.testing.serialization.Page;
import io.courier.testing.serialization.Point;
import io.courier.testing.serialization.User;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The serializer contract (round trips, malformed input, allowlist) for hessian, and what only hessian does. */
class HessianSerializerTest extends AbstractClassNamingSerializerContractTest {

  @Override
  protected SerializerProvider provider() {
    return new HessianSerializerProvider();
  }

  @Override
  protected String expectedName() {
    return "hessian";
  }

  @Override
  protected int expectedId() {
    return 3;
  }

  /** From depth 2 on, inner lists refer to the first one's type, so each level adds the same bytes. */
  @Override
  protected byte[] nestedLists(int levels) {
    return Nesting.repeat(bytesOf(nested(2), Object.class), bytesOf(nested(3), Object.class),
        bytesOf(nested(4), Object.class), levels);
  }

  @Override
  protected int maxDepth() {
    return HessianScanner.MAX_DEPTH;
  }

  /** The depth limit is the reader's ({@link HessianScanner}); hessian's writer writes any depth. */
  @Override
  protected boolean refusesToWriteDeeperThanItReads() {
    return false;
  }

  /** The class-naming values, every java.time type hessian-lite has a serializer for, and a BigInteger. */
  @Override
  protected Stream<Object[]> formatValues() {
    return Stream.of(super.formatValues(), javaTimeValues().stream().map(v -> new Object[] {v, v.getClass()}),
        Stream.<Object[]>of(new Object[] {new BigInteger("-123456789012345678901234567890"), BigInteger.class}))
        .flatMap(values -> values);
  }

  /** One value of each java.time type, with nanoseconds and offsets where the type has them. */
  private static List<Object> javaTimeValues() {
    return List.of(LocalDate.of(2024, 2, 29), LocalDate.MIN, LocalDate.MAX,
        LocalDateTime.of(2024, 2, 29, 23, 59, 58, 999), LocalDateTime.MAX,
        LocalTime.of(13, 14, 15, 16), LocalTime.MAX, Instant.ofEpochSecond(1_700_000_000L, 123), Instant.MIN,
        Duration.ofSeconds(-5, 7), Period.of(1, -2, 3), Year.of(2024), YearMonth.of(2024, 2), MonthDay.of(2, 29),
        OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 5, ZoneOffset.ofHours(-3)),
        OffsetTime.of(1, 2, 3, 4, ZoneOffset.ofHoursMinutes(5, 30)),
        ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 1, ZoneId.of("Europe/Paris")), ZoneOffset.ofHours(8));
  }

  // ---------------------------------------------------------------- round trips

  @Test
  void readsJavaTimeValuesInsideModelsCollectionsAndObjectFields() {
    List<Object> values = new ArrayList<>(javaTimeValues());
    assertThat(roundTrip(values, List.class, Unpooled.buffer())).isEqualTo(values);
    for (Object value : javaTimeValues()) {
      assertThat(roundTrip(new Holder(value), Holder.class, Unpooled.buffer())).isEqualTo(new Holder(value));
    }
  }

  /**
   * java.time values go on the wire as hessian-lite's handle objects, the bytes hessian-lite 3.2.13 wrote, so that
   * peers on either version read them; never as the compact form hessian-lite 4 writes JVM-wide when
   * {@code -Dcom.caucho.hessian.io.java.time.serializer.compactMode=true} is set, nor field by field.
   */
  @Test
  void writesJavaTimeAsHessianLiteHandles() {
    for (Object value : javaTimeValues()) {
      assertThat(new String(bytesOf(value, Object.class), StandardCharsets.ISO_8859_1))
          .as("%s", value)
          .contains("com.alibaba.com.caucho.hessian.io.java8." + value.getClass().getSimpleName() + "Handle")
          .doesNotContain("java.time.");
    }
  }

  @Test
  void writesPlainHessianThatAStockReaderUnderstands() throws Exception {
    byte[] bytes = bytesOf(User.sample(8), User.class);
    Hessian2Input stock = new Hessian2Input(new ByteArrayInputStream(bytes));
    SerializerFactory factory = new SerializerFactory();
    factory.setAllowNonSerializable(true);
    stock.setSerializerFactory(factory);
    assertThat(stock.readObject(User.class)).isEqualTo(User.sample(8));
  }

  /**
   * What a Courier peer on hessian-lite 3.2.13 wrote (before the move to Apache Dubbo's hessian-lite 4), read by this
   * one, as during a rolling upgrade. The values are {@link #writtenByHessianLite3()}'s.
   */
  @Test
  void readsWhatHessianLite3Wrote() throws IOException {
    Map<String, Object[]> values = writtenByHessianLite3();
    int read = 0;
    try (InputStream in = getClass().getResourceAsStream("written-by-hessian-lite-3.2.13.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] nameAndBytes = line.split(" ");
        Object[] expected = values.get(nameAndBytes[0]);
        byte[] bytes = ByteBufUtil.decodeHexDump(nameAndBytes[1]);
        assertThat(serializer.read(Unpooled.wrappedBuffer(bytes), (Type) expected[1]))
            .as(nameAndBytes[0]).isEqualTo(expected[0]);
        read++;
      }
    }
    assertThat(read).isEqualTo(values.size());
  }

  /** The values in written-by-hessian-lite-3.2.13.txt, each with the type it was written as. */
  private static Map<String, Object[]> writtenByHessianLite3() {
    List<User> users = new ArrayList<>();
    for (int i = 1; i <= 15; i++) {
      users.add(User.sample(i));
    }
    Map<String, Object[]> values = new LinkedHashMap<>();
    values.put("user", new Object[] {User.sample(8), User.class});
    values.put("page", new Object[] {new Page<>(1, 15, users), PAGE_OF_USERS});
    values.put("point", new Object[] {new Point(3, -4L, "p", Color.BLUE, List.of("a", "b"),
        Instant.parse("2024-01-02T03:04:05Z")), Point.class});
    values.put("holder", new Object[] {new Holder(LocalDate.of(2000, 1, 1)), Holder.class});
    values.put("time", new Object[] {List.of(LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 2, 29, 23, 59, 58, 999),
        LocalTime.of(13, 14, 15, 16), Instant.ofEpochSecond(1_700_000_000L, 123), Duration.ofSeconds(-5, 7),
        Period.of(1, 2, 3), Year.of(2024), YearMonth.of(2024, 2), MonthDay.of(2, 29),
        OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 5, ZoneOffset.ofHours(-3)),
        OffsetTime.of(1, 2, 3, 4, ZoneOffset.ofHoursMinutes(5, 30)),
        ZonedDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")), ZoneOffset.ofHours(8),
        ZoneId.of("Asia/Shanghai")), List.class});
    values.put("misc", new Object[] {List.of(URI.create("https://example.com/a?b=c"), Locale.CHINA,
        new BigDecimal("12345.6789"), UUID.fromString("123e4567-e89b-12d3-a456-426614174000")), List.class});
    return values;
  }

  // ---------------------------------------------------------------- unsupported types

  @Test
  void explainsThatOptionalNeedsAnotherFormat() {
    assertThat(serializer.unsupportedReason(Optional.class)).contains("hessian").contains("kryo or json");
  }

  // ---------------------------------------------------------------- malformed input

  @Test
  void rejectsLengthsLongerThanTheInputBeforeAllocating() {
    byte[] maxInt = {'I', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    // a typed fixed-length list ("[int") claiming 2^31 - 1 elements
    assertRejected(concat(new byte[] {'V', 4, '[', 'i', 'n', 't'}, maxInt), int[].class);
    assertRejected(concat(new byte[] {'V', 4, '[', 'i', 'n', 't'}, maxInt), Object.class);
    // an untyped fixed-length list claiming 2^31 - 1 elements
    assertRejected(concat(new byte[] {'X'}, maxInt), List.class);
    // a class definition claiming 2^31 - 1 fields
    assertRejected(concat(new byte[] {'C', 3, 'F', 'o', 'o'}, maxInt), Object.class);
    // a negative length
    assertRejected(new byte[] {'X', (byte) 0x8f}, List.class);
    // a string and a byte array claiming 65535 units with three bytes present
    assertRejected(new byte[] {'S', (byte) 0xff, (byte) 0xff, 'a', 'b', 'c'}, String.class);
    assertRejected(new byte[] {'B', (byte) 0xff, (byte) 0xff, 1, 2, 3}, byte[].class);
    // an object of a class definition that does not exist, a type reference to nothing
    assertRejected(new byte[] {0x60}, Object.class);
    assertRejected(new byte[] {'V', (byte) 0x91, (byte) 0x90}, Object.class);
  }

  @Test
  void readsNestingUpToTheLimitAndNoDeeper() {
    assertRejected(nestedLists(HessianScanner.MAX_DEPTH), Object.class);
    assertThat(roundTrip(nested(HessianScanner.MAX_DEPTH), Object.class, Unpooled.buffer()))
        .isEqualTo(nested(HessianScanner.MAX_DEPTH));
  }

  @Test
  void rejectsUnknownTagsAndValuesOfAnotherType() {
    assertRejected(new byte[] {'Z'}, User.class);
    assertRejected(new byte[] {'@'}, Object.class);
    // the value does not have the declared type
    assertRejected(bytesOf("text", String.class), User.class);
  }

  /**
   * A field is set only with a value of its class. Hessian-lite 4's default field setters ({@code Unsafe}) would
   * store this {@code LocalDateTime} in {@code User.birthday}, a {@code LocalDate} field, unchecked.
   */
  @Test
  void refusesAFieldValueOfAnotherClass() throws IOException {
    byte[] bytes = userWithBirthday(LocalDateTime.of(2024, 1, 2, 3, 4));
    assertThatThrownBy(() -> serializer.read(Unpooled.wrappedBuffer(bytes), User.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("birthday");
    assertThat(serializer.read(Unpooled.wrappedBuffer(userWithBirthday(LocalDate.of(2024, 1, 2))), User.class))
        .extracting(user -> ((User) user).getBirthday()).isEqualTo(LocalDate.of(2024, 1, 2));
  }

  /**
   * Hessian-lite 4 has readers of its own for more JDK classes than 3 had (files, socket addresses, JMX names,
   * {@code LongAdder}); its class filter is bypassed, so the allowlist alone must refuse them.
   */
  @Test
  void refusesTheJdkClassesHessianLite4CanReadUnlessAllowed() throws IOException {
    for (Object value : List.of(new File("/etc/passwd"), InetSocketAddress.createUnresolved("example.com", 80),
        InetAddress.getLoopbackAddress(), new LongAdder(), String.class)) {
      byte[] bytes = HessianReadBudgetTest.hessianBytes(out -> out.writeObject(value));
      assertThatThrownBy(() -> serializer.read(Unpooled.wrappedBuffer(bytes), Object.class))
          .as("%s", value.getClass())
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("is not allowed");
    }
  }

  /** Hessian-lite 4's reader keeps what it buffered across {@code init}: a read that failed must not leave it. */
  @Test
  void aFailedReadLeavesNothingForTheNextOne() throws IOException {
    byte[] refused = userWithBirthday(LocalDateTime.of(2024, 1, 2, 3, 4));
    for (int i = 0; i < 3; i++) {
      assertRejected(refused, User.class);
      assertThat(roundTrip(User.sample(i), User.class, Unpooled.buffer())).isEqualTo(User.sample(i));
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A {@link User} whose {@code birthday} holds {@code birthday}, then a name longer than hessian reads ahead. */
  private static byte[] userWithBirthday(Object birthday) throws IOException {
    return HessianReadBudgetTest.hessianBytes(out -> {
      out.writeObjectBegin(User.class.getName()); // a class definition follows
      out.writeClassFieldLength(2);
      out.writeString("birthday");
      out.writeString("name");
      out.writeObjectBegin(User.class.getName());
      out.writeObject(birthday);
      out.writeString("n".repeat(2000));
    });
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] out = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }
}
