package io.courier.serialization.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.serialization.SerializationException;
import io.courier.serialization.SerializerProvider;
import io.courier.testing.serialization.AbstractSerializerContractTest;
import io.courier.testing.serialization.Holder;
import io.courier.testing.serialization.TypeRef;
import io.courier.testing.serialization.User;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The serializer contract (round trips, malformed input) for json, and what only json does. */
class JsonSerializerTest extends AbstractSerializerContractTest {

  @Override
  protected SerializerProvider provider() {
    return new JsonSerializerProvider();
  }

  @Override
  protected String expectedName() {
    return "json";
  }

  @Override
  protected int expectedId() {
    return 4;
  }

  /**
   * JSON keeps a zone's offset, not its region id; an {@code ArrayList<Long>} needs its element type declared;
   * an {@code Object} field or value comes back as plain JSON data (see
   * {@link #readsValuesDeclaredAsObjectAsPlainJsonData()}).
   */
  @Override
  protected Stream<Object[]> formatValues() {
    return Stream.of(
        new Object[] {ZonedDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHours(8)), ZonedDateTime.class},
        new Object[] {new ArrayList<>(List.of(1L, 2L)), new TypeRef<ArrayList<Long>>() {}.type()},
        new Object[] {Optional.of("x"), Optional.class},
        new Object[] {new Holder("text"), Holder.class});
  }

  @Override
  protected byte[] nestedLists(int levels) {
    return ("[".repeat(levels) + "]".repeat(levels)).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  protected int maxDepth() {
    return JsonSerializer.MAX_DEPTH;
  }

  @Override
  protected List<Type> deeplyNestedDeclaredAs() {
    return List.of(Object.class, List.class);
  }

  // ---------------------------------------------------------------- round trips

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
    User user = (User) serializer.read(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), User.class);
    assertThat(user.getId()).isEqualTo(3);
    assertThat(user.getName()).isEqualTo("x");
    assertThat(user.getEmail()).isNull();
  }

  /** A model with a class-valued property: the one place JSON input names a class. */
  public record Typed(Class<?> type, String label) {}

  @Test
  void loadsClassValuedPropertiesOnlyFromTheAllowlist() {
    String allowed = "{\"type\":\"java.time.LocalDate\",\"label\":\"x\"}";
    assertThat(serializer.read(Unpooled.copiedBuffer(allowed, StandardCharsets.UTF_8), Typed.class))
        .isEqualTo(new Typed(LocalDate.class, "x"));
    String refused = "{\"type\":\"java.lang.ProcessBuilder\",\"label\":\"x\"}";
    ByteBuf buf = Unpooled.copiedBuffer(refused, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> serializer.read(buf, Typed.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("class java.lang.ProcessBuilder is not allowed");
    buf.release();
  }

  @Test
  void buildsOnlyDeclaredTypesWhateverTheInputSays() {
    // Jackson's polymorphic type ids mean nothing here: default typing is off
    String text = "[\"java.net.URL\",\"http://example.com\"]";
    Object value = serializer.read(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), Object.class);
    assertThat(value).isEqualTo(List.of("java.net.URL", "http://example.com"));
    String payload = "{\"payload\":[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]}";
    Holder holder = (Holder) serializer.read(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8), Holder.class);
    assertThat(holder.getPayload()).isInstanceOf(List.class);
  }

  // ---------------------------------------------------------------- malformed input

  @Test
  void rejectsMalformedDocuments() {
    for (String text : List.of("", "   ", "{", "[1,2", "{\"id\":}", "nul", "\"unterminated", "{\"id\":\"abc\"}",
        "[1,2,3]", "\uFFFF")) {
      assertRejected(text.getBytes(StandardCharsets.UTF_8), User.class);
    }
    assertRejected("12345678901234567890123".getBytes(StandardCharsets.UTF_8), int.class);
    assertRejected("1".repeat(5000).getBytes(StandardCharsets.UTF_8), BigInteger.class);
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
    assertThat(serializer.readArguments(buf, types)).containsExactly(1, "a");
    assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(" trailing");
  }

  // ---------------------------------------------------------------- helpers

  private void assertRejected(byte[] bytes, Type[] types) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    assertThatThrownBy(() -> serializer.readArguments(buf, types)).isInstanceOf(SerializationException.class);
    assertThat(buf.readerIndex()).isZero();
  }
}
