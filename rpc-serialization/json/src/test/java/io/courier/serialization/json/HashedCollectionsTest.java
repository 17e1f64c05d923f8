package io.courier.serialization.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.serialization.ReadBudget;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.SerializerRoundTrip;
import io.courier.testing.serialization.Holder;
import io.courier.testing.serialization.TypeRef;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hashed sets and maps read from JSON whose elements share a hash code, refused by the {@link ReadBudget}'s
 * hash-collision limit (see docs/security.md); the assertions are on the limit named in the refusal, never on
 * time. JSON needs no other part of the budget: it has no shared references, so each value is at least a byte.
 */
@Timeout(60)
class HashedCollectionsTest {

  private static final Type SET_OF_LISTS = new TypeRef<Set<List<Integer>>>() {}.type();
  private static final Type SET_OF_OBJECTS = new TypeRef<Set<Object>>() {}.type();
  private static final Type MAP_OF_DATES = new TypeRef<Map<LocalDate, Integer>>() {}.type();

  private final Serializer json = new JsonSerializerProvider().create(TypeAllowlist.withDefaults());

  /** 20,000 lists {@code [i, -31 i]}, all of hash code 961: 305 KB of JSON that took 7.5 s to read as a set. */
  @Test
  void refusesSetsOfManyElementsWithOneHashCode() {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < 20_000; i++) {
      text.append(i == 0 ? "" : ",").append('[').append(i).append(',').append(-31 * i).append(']');
    }
    byte[] bytes = text.append(']').toString().getBytes(StandardCharsets.UTF_8);
    for (Type declared : List.of(SET_OF_LISTS, SET_OF_OBJECTS, new TypeRef<LinkedHashSet<List<Integer>>>() {}.type(),
        new TypeRef<HashSet<Object>>() {}.type())) {
      assertRefused(bytes, declared);
    }
  }

  @Test
  void refusesMapsWithManyKeysOfOneHashCode() {
    List<LocalDate> dates = collidingDates(ReadBudget.MAX_EQUAL_HASH_CODES + 1);
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < dates.size(); i++) {
      text.append(i == 0 ? "" : ",").append('"').append(dates.get(i)).append("\":").append(i);
    }
    byte[] bytes = text.append('}').toString().getBytes(StandardCharsets.UTF_8);
    assertRefused(bytes, MAP_OF_DATES);
    assertRefused(bytes, new TypeRef<HashMap<LocalDate, Object>>() {}.type());
  }

  @Test
  void readsSetsAndMapsOfTheDeclaredClassesAsBefore() {
    Set<List<Integer>> grid = new HashSet<>();
    for (int x = 0; x < 100; x++) {
      for (int y = 0; y < 100; y++) {
        grid.add(List.of(x, y));
      }
    }
    assertThat(roundTrip(grid, SET_OF_LISTS)).isInstanceOf(HashSet.class).isEqualTo(grid);
    LinkedHashSet<Object> ordered = new LinkedHashSet<>(List.of("b", 2, List.of("a")));
    Object copy = roundTrip(ordered, new TypeRef<LinkedHashSet<Object>>() {}.type());
    assertThat(copy).isInstanceOf(LinkedHashSet.class).isEqualTo(ordered);
    assertThat(new ArrayList<>((Set<?>) copy)).isEqualTo(new ArrayList<>(ordered));

    List<LocalDate> dates = collidingDates(ReadBudget.MAX_EQUAL_HASH_CODES); // at the limit
    Map<LocalDate, Integer> byDate = new LinkedHashMap<>();
    for (int i = 0; i < dates.size(); i++) {
      byDate.put(dates.get(i), i);
    }
    assertThat(roundTrip(byDate, MAP_OF_DATES)).isInstanceOf(LinkedHashMap.class).isEqualTo(byDate);

    Set<String> strings = new HashSet<>(); // one hash code, but a HashMap orders strings: not checked
    for (int i = 0; i < 4096; i++) {
      StringBuilder s = new StringBuilder();
      for (int bit = 0; bit < 12; bit++) {
        s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      strings.add(s.toString());
    }
    assertThat(roundTrip(strings, new TypeRef<Set<String>>() {}.type())).isEqualTo(strings);
    assertThat(roundTrip(null, SET_OF_LISTS)).isNull();
    assertThat(roundTrip(Map.of(), MAP_OF_DATES)).isEqualTo(Map.of());
  }

  @Test
  void checksSetsInsideOtherValuesAndArguments() {
    String hostile = collidingListsJson(100);
    byte[] holder = ("{\"payload\":" + hostile + "}").getBytes(StandardCharsets.UTF_8);
    // an Object field holds lists, not sets: nothing to check, nothing quadratic
    assertThat(json.read(Unpooled.wrappedBuffer(holder), Holder.class)).isNotNull();
    byte[] arguments = ("[1," + hostile + "]").getBytes(StandardCharsets.UTF_8);
    ByteBuf buf = Unpooled.wrappedBuffer(arguments);
    assertThatThrownBy(() -> json.readArguments(buf, new Type[] {int.class, SET_OF_LISTS}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("json input exceeds the hash-collision limit");
  }

  // ---------------------------------------------------------------- helpers

  private static String collidingListsJson(int count) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : ",").append('[').append(i).append(',').append(-31 * i).append(']');
    }
    return text.append(']').toString();
  }

  /**
   * January firsts of one hash code: {@code LocalDate.hashCode()} is {@code (y & ~0x7FF) ^ ((y << 11) + (m << 6) +
   * d)}; for {@code y = 2048 a + b} that is {@code (a << 11) ^ ((a << 22) + (b << 11) + 65)}, which is 65 when
   * {@code b = ((a << 11) - (a << 22)) >>> 11} (modulo 2^21) is below 2048.
   */
  static List<LocalDate> collidingDates(int count) {
    List<LocalDate> dates = new ArrayList<>();
    for (int a = 0; dates.size() < count; a++) {
      int b = (((a << 11) - (a << 22)) >>> 11) & 0x1F_FFFF;
      if (b < 2048) {
        dates.add(LocalDate.of(2048 * a + b, 1, 1));
      }
    }
    for (LocalDate date : dates) {
      assertThat(date.hashCode()).as(date.toString()).isEqualTo(65);
    }
    return dates;
  }

  private Object roundTrip(Object value, Type type) {
    return SerializerRoundTrip.roundTrip(json, value, type);
  }

  private void assertRefused(byte[] bytes, Type declared) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    assertThatThrownBy(() -> json.read(buf, declared))
        .as("%d bytes declared as %s", bytes.length, declared.getTypeName())
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("json input exceeds the hash-collision limit")
        .hasMessageContaining("ReadBudget.MAX_EQUAL_HASH_CODES");
    assertThat(buf.readerIndex()).isZero();
  }
}
