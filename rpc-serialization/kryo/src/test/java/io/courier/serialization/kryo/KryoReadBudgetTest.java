package io.courier.serialization.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import io.courier.serialization.ReadBudget;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.SerializerRoundTrip;
import io.courier.testing.serialization.Page;
import io.courier.testing.serialization.TypeRef;
import io.courier.testing.serialization.User;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile kryo input that costs far more to read than its size, refused by the {@link ReadBudget} (see
 * docs/security.md): the assertions are on the limit named in the refusal, never on time.
 */
@Timeout(60)
class KryoReadBudgetTest {

  private static final Type PAGE_OF_USERS = new TypeRef<Page<User>>() {}.type();
  private static final Type SET_OF_LISTS = new TypeRef<Set<List<Integer>>>() {}.type();

  private final TypeAllowlist allowlist = TypeAllowlist.withDefaults().allowType(User.class).allowType(PAGE_OF_USERS);
  private final Serializer kryo = new KryoSerializerProvider().create(allowlist);

  /**
   * Finding 6: a {@code HashSet} of 20,000 two-element lists of one hash code, 171 KB, took 3.3 s to read (each
   * insertion scanned every earlier list). Now the elements are staged and their hash codes checked first.
   */
  @Test
  void refusesHashedSetsOfManyElementsWithOneHashCode() {
    List<Object> lists = collidingLists(20_000);
    for (Class<?> set : List.of(HashSet.class, LinkedHashSet.class, Set.of(1, 2, 3).getClass(),
        Collections.unmodifiableSet(new HashSet<>()).getClass())) {
      byte[] bytes = bytesAs(set, lists);
      assertThat(bytes.length).as(set.getName()).isBetween(150_000, 200_000);
      for (Type declared : List.of(Object.class, SET_OF_LISTS, List.class)) {
        assertHashCollisionRefused(bytes, declared);
      }
    }
  }

  @Test
  void refusesHashedMapsWithManyKeysOfOneHashCode() {
    Map<Object, Object> entries = new IdentityHashMap<>(); // colliding keys cost an IdentityHashMap nothing
    for (Object key : collidingLists(5_000)) {
      entries.put(key, "v");
    }
    for (Class<?> map : List.of(HashMap.class, LinkedHashMap.class, ConcurrentHashMap.class,
        Map.of(1, 1, 2, 2).getClass(), Collections.unmodifiableMap(new HashMap<>()).getClass())) {
      assertHashCollisionRefused(bytesAs(map, entries), Object.class);
    }
  }

  @Test
  void readsHashedCollectionsAtTheLimitAndCollidingKeysOfOneOrderedClass() {
    List<Object> lists = collidingLists(ReadBudget.MAX_EQUAL_HASH_CODES);
    assertThat(read(bytesAs(HashSet.class, lists), Object.class)).isEqualTo(new HashSet<>(lists));

    Map<String, String> strings = new HashMap<>(); // every string of "Aa" and "BB" has one hash code
    for (int i = 0; i < 4096; i++) {
      StringBuilder key = new StringBuilder();
      for (int bit = 0; bit < 12; bit++) {
        key.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      strings.put(key.toString(), "v" + i);
    }
    assertThat(strings.keySet().stream().mapToInt(String::hashCode).distinct().count()).isOne();
    assertThat(SerializerRoundTrip.roundTrip(kryo, strings, Map.class)).isEqualTo(strings);

    Set<Long> longs = new HashSet<>(); // every i * (2^32 + 1) has the hash code 0
    for (long i = 0; i < 4096; i++) {
      longs.add(i * 0x1_0000_0001L);
    }
    assertThat(SerializerRoundTrip.roundTrip(kryo, longs, Set.class)).isEqualTo(longs);
  }

  /**
   * {@code Set.of} and {@code Map.of} values come back as unmodifiable linked collections: the JDK's immutable ones
   * probe linearly from {@code hashCode % (2 * size)}, so 20,000 Integers that are multiples of 40,000 would each
   * scan all the others, a cost no hash-code check sees.
   */
  @Test
  @SuppressWarnings("unchecked")
  void readsImmutableSetsAndMapsIntoLinkedOnesThatCannotBeProbedQuadratically() {
    List<Object> multiples = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      multiples.add(i * 40_000);
    }
    Object set = read(bytesAs(Set.of(1, 2, 3).getClass(), multiples), Object.class);
    assertThat(set.getClass()).isEqualTo(Collections.unmodifiableSet(new HashSet<>()).getClass());
    assertThat((Set<Object>) set).containsExactlyElementsOf(multiples);
    assertThatThrownBy(() -> ((Set<Object>) set).add(1)).isInstanceOf(UnsupportedOperationException.class);

    Object map = SerializerRoundTrip.roundTrip(kryo, Map.of("a", 1, "b", 2, "c", 3), Map.class);
    assertThat(map).isEqualTo(Map.of("a", 1, "b", 2, "c", 3));
    assertThatThrownBy(() -> ((Map<Object, Object>) map).put("d", 4)).isInstanceOf(UnsupportedOperationException.class);
  }

  /**
   * A list of 1,000 lists that each claim 100,000 nulls (all-null lists are a few bytes whatever their length) and
   * 100 KB of padding, so that each count passes the check against the bytes that remain: 10^8 elements, 400 MB,
   * from 104 KB. The element counts are charged to the budget before anything is allocated for them.
   */
  @Test
  void refusesElementCountsBeyondTheBudgetWhateverBytesRemain() {
    List<Object> nulls = new ArrayList<>(Collections.nCopies(100_000, null));
    List<Object> outer = new ArrayList<>(Collections.nCopies(1_000, nulls)); // one inner list, written 1,000 times
    byte[] value = SerializerRoundTrip.bytesOf(kryo, outer, Object.class);
    assertThat(value.length).isLessThan(5_000);
    ByteBuf padded = Unpooled.buffer().writeBytes(value).writeZero(100_000);
    assertThatThrownBy(() -> kryo.read(padded, Object.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("kryo input exceeds its read budget")
        .hasMessageContaining("from " + padded.readableBytes() + " bytes");
    assertThat(padded.readerIndex()).isZero();
  }

  @Test
  void leavesPayloadsOfTheBenchmarkKindAlone() {
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      users.add(User.sample(i));
    }
    Page<User> page = new Page<>(7, 1000, users);
    assertThat(SerializerRoundTrip.roundTrip(kryo, page, PAGE_OF_USERS)).isEqualTo(page);
    byte[] mebibyte = new byte[1 << 20];
    mebibyte[12345] = 7;
    assertThat((byte[]) SerializerRoundTrip.roundTrip(kryo, mebibyte, byte[].class)).isEqualTo(mebibyte);
    Map<String, String> strings = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      strings.put("key-" + i, "value-" + i);
    }
    assertThat(SerializerRoundTrip.roundTrip(kryo, strings, new TypeRef<Map<String, String>>() {}.type()))
        .isEqualTo(strings);
    Set<List<Integer>> grid = new HashSet<>();
    for (int x = 0; x < 100; x++) {
      for (int y = 0; y < 100; y++) {
        grid.add(List.of(x, y));
      }
    }
    assertThat(SerializerRoundTrip.roundTrip(kryo, grid, SET_OF_LISTS)).isEqualTo(grid);
  }

  // ---------------------------------------------------------------- helpers

  /** Lists {@code [i, -31 i]}: every one has the hash code 31 * (31 + i) - 31 i = 961. */
  static List<Object> collidingLists(int count) {
    List<Object> lists = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      lists.add(new ArrayList<>(List.of(i, -31 * i)));
    }
    return lists;
  }

  /**
   * What a hostile writer sends: the class id of {@code type} and the elements of {@code contents}, written by
   * Kryo's own serializer for {@code type}, without ever building a {@code type} (which for colliding elements
   * would cost the writer what the reader is being protected from).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static byte[] bytesAs(Class<?> type, Object contents) {
    CourierKryo writer = new CourierKryo(TypeAllowlist.withDefaults(), KryoReadBudgetTest.class.getClassLoader());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output output = new CourierOutput(4096);
    output.setOutputStream(bytes);
    output.writeByte(KryoSerializer.CLASS_AND_OBJECT);
    writer.writeClass(output, type);
    ((com.esotericsoftware.kryo.Serializer) writer.getSerializer(type)).write(writer, output, contents);
    output.flush();
    return bytes.toByteArray();
  }

  private Object read(byte[] bytes, Type type) {
    return kryo.read(Unpooled.wrappedBuffer(bytes), type);
  }

  private void assertHashCollisionRefused(byte[] bytes, Type declared) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    assertThatThrownBy(() -> kryo.read(buf, declared))
        .as("%d bytes declared as %s", bytes.length, declared.getTypeName())
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("kryo input exceeds the hash-collision limit")
        .hasMessageContaining("have the hash code 961");
    assertThat(buf.readerIndex()).isZero();
  }
}
