package io.courier.serialization.hessian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alibaba.com.caucho.hessian.io.Hessian2Output;
import io.courier.serialization.ReadBudget;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.SerializerRoundTrip;
import io.courier.testing.serialization.Holder;
import io.courier.testing.serialization.Page;
import io.courier.testing.serialization.TypeRef;
import io.courier.testing.serialization.User;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile hessian input that costs far more to read than its size, refused by the {@link ReadBudget} (see
 * docs/security.md). The assertions are on the limit named in the refusal, never on time.
 */
@Timeout(60)
class HessianReadBudgetTest {

  private static final Type PAGE_OF_USERS = new TypeRef<Page<User>>() {}.type();
  private static final Type SET_OF_OBJECTS = new TypeRef<Set<Object>>() {}.type();
  private static final Type MAP_OF_STRING_TO_OBJECT = new TypeRef<Map<String, Object>>() {}.type();

  private final TypeAllowlist allowlist = TypeAllowlist.withDefaults().allowType(PAGE_OF_USERS)
      .allowType(Holder.class);
  private final Serializer hessian = new HessianSerializerProvider().create(allowlist);

  // ---------------------------------------------------------------- shared references (finding 5)

  /**
   * Finding 5: a {@code HashSet} holding a chain of lists that each hold their child twice, the second time as a
   * back-reference: a few bytes per level, a tree that doubles per level. 152 bytes took 2.3 s of CPU (the
   * {@code hashCode} the set takes), 160 bytes 8.1 s. Each back-reference is now charged as the tree it stands for.
   */
  @Test
  void refusesASetOfAChainOfListsThatEachHoldTheirChildTwice() throws IOException {
    byte[] bytes = hashSetOf(chainOfDoubledLists(30), 0);
    assertThat(bytes.length).isLessThan(200);
    for (Type declared : List.of(Object.class, SET_OF_OBJECTS, Set.class)) {
      assertRefused(bytes, declared, "hessian input exceeds its read budget", "more than " + ReadBudget.MIN_VALUES
          + " values");
    }
    assertRefused(holderOf(hashSetOf(chainOfDoubledLists(30), 1)), Holder.class, "exceeds its read budget");
    // the chain alone, without a set to hash it, is just as costly to walk; in a map value, too
    assertRefused(bytesOf(chainOfDoubledLists(30), Object.class), Object.class, "exceeds its read budget");
    assertRefused(bytesOf(Map.of("k", chainOfDoubledLists(30)), Object.class), MAP_OF_STRING_TO_OBJECT,
        "exceeds its read budget");
  }

  @Test
  void chargesEachBackReferenceTheTreeItStandsFor() throws IOException {
    // 2^11 - 1 lists and 2^11 integers expanded: about 4,100 values, within the floor of 8,192
    Object shallow = SerializerRoundTrip.roundTrip(hessian, chainOfDoubledLists(11), Object.class);
    assertThat(shallow).isEqualTo(chainOfDoubledLists(11));
    // one level more than the floor allows
    assertRefused(bytesOf(chainOfDoubledLists(12), Object.class), Object.class, "exceeds its read budget");
  }

  @Test
  void chargesABackReferenceToAnArrayOfPrimitivesAtLeastItsLength() {
    int[] numbers = new int[2000];
    List<Object> shared = new ArrayList<>(Collections.nCopies(10_000, numbers)); // one array, 9,999 references
    byte[] bytes = bytesOf(shared, Object.class);
    assertThat(bytes.length).isLessThan(40_000);
    assertRefused(bytes, Object.class, "exceeds its read budget");
    List<Object> few = new ArrayList<>(Collections.nCopies(4, new int[1000])); // 3,000 more, within the floor
    assertThat((List<?>) SerializerRoundTrip.roundTrip(hessian, few, Object.class)).hasSize(4);
  }

  @Test
  void readsValuesThatShareTheirPartsWithinTheBudget() {
    List<Integer> permissions = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      User user = User.sample(i);
      user.setPermissions(permissions); // one list, written once and referenced 999 times
      users.add(user);
    }
    Page<User> page = new Page<>(1, 1000, users);
    assertThat(SerializerRoundTrip.roundTrip(hessian, page, PAGE_OF_USERS)).isEqualTo(page);

    List<Object> cyclic = new ArrayList<>();
    cyclic.add("first");
    cyclic.add(cyclic); // a reference to a list still being read counts one
    List<?> copy = (List<?>) SerializerRoundTrip.roundTrip(hessian, cyclic, Object.class);
    assertThat(copy.get(0)).isEqualTo("first");
    assertThat(copy.get(1)).isSameAs(copy);
  }

  // ---------------------------------------------------------------- hash collisions

  @Test
  void refusesHashedSetsAndMapsWithManyElementsOfOneHashCode() throws IOException {
    List<Object> lists = collidingLists(20_000);
    byte[] set = hessianBytes(out -> {
      out.writeListBegin(lists.size(), "java.util.HashSet");
      for (Object list : lists) {
        out.writeObject(list);
      }
    });
    assertThat(set.length).isLessThan(250_000);
    for (Type declared : List.of(Object.class, SET_OF_OBJECTS, Set.class)) {
      assertRefused(set, declared, "hessian input exceeds the hash-collision limit", "have the hash code 961");
    }
    List<Object> keys = lists.subList(0, 5_000);
    for (String mapType : new String[] {null, "java.util.HashMap", "java.util.LinkedHashMap"}) {
      byte[] map = hessianBytes(out -> {
        out.writeMapBegin(mapType);
        for (Object list : keys) {
          out.writeObject(list);
          out.writeInt(1);
        }
        out.writeMapEnd();
      });
      assertRefused(map, Object.class, "exceeds the hash-collision limit");
      assertRefused(map, Map.class, "exceeds the hash-collision limit");
    }
  }

  @Test
  void readsCollidingKeysOfOneOrderedClassAndHashedSetsAtTheLimit() {
    Map<String, Integer> strings = new HashMap<>(); // every string of "Aa" and "BB" has one hash code
    for (int i = 0; i < 4096; i++) {
      StringBuilder key = new StringBuilder();
      for (int bit = 0; bit < 12; bit++) {
        key.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      strings.put(key.toString(), i);
    }
    assertThat(SerializerRoundTrip.roundTrip(hessian, strings, Map.class)).isEqualTo(strings);
    Set<Object> atTheLimit = new HashSet<>(collidingLists(ReadBudget.MAX_EQUAL_HASH_CODES));
    assertThat(SerializerRoundTrip.roundTrip(hessian, atTheLimit, SET_OF_OBJECTS)).isEqualTo(atTheLimit);
  }

  @Test
  void leavesPayloadsOfTheBenchmarkKindAlone() {
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      users.add(User.sample(i));
    }
    Page<User> page = new Page<>(7, 1000, users);
    assertThat(SerializerRoundTrip.roundTrip(hessian, page, PAGE_OF_USERS)).isEqualTo(page);
    byte[] mebibyte = new byte[1 << 20];
    mebibyte[12345] = 7;
    assertThat((byte[]) SerializerRoundTrip.roundTrip(hessian, mebibyte, byte[].class)).isEqualTo(mebibyte);
    Map<String, String> strings = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      strings.put("key-" + i, "value-" + i);
    }
    assertThat(SerializerRoundTrip.roundTrip(hessian, strings, new TypeRef<Map<String, String>>() {}.type()))
        .isEqualTo(strings);
  }

  // ---------------------------------------------------------------- helpers

  /** {@code L(0) = [1]}, {@code L(k) = [L(k-1), L(k-1)]}: k lists on the wire, a tree of 2^(k+1) - 1 values. */
  static List<Object> chainOfDoubledLists(int depth) {
    List<Object> chain = new ArrayList<>(List.of(1));
    for (int i = 0; i < depth; i++) {
      List<Object> next = new ArrayList<>();
      next.add(chain);
      next.add(chain);
      chain = next;
    }
    return chain;
  }

  /** Lists {@code [i, -31 i]}: every one has the hash code 31 * (31 + i) - 31 i = 961. */
  static List<Object> collidingLists(int count) {
    List<Object> lists = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      lists.add(new ArrayList<>(List.of(i, -31 * i)));
    }
    return lists;
  }

  /**
   * A {@code HashSet} holding {@code element}, written as a hostile writer would, with hessian's own writer but
   * without building the set (whose {@code hashCode} of the element would cost the writer what the reader is
   * being protected from). {@code enclosing} is the number of lists, maps and objects the set will be inside.
   */
  static byte[] hashSetOf(Object element, int enclosing) throws IOException {
    return hessianBytes(out -> {
      for (int i = 0; i <= enclosing; i++) {
        out.addRef(new Object()); // the numbers of the values around the set and of the set itself
      }
      out.writeListBegin(1, "java.util.HashSet");
      out.writeObject(element);
    });
  }

  /** A {@link Holder} (an object with an {@code Object} field) around the hessian value {@code bytes}. */
  private static byte[] holderOf(byte[] value) throws IOException {
    byte[] empty = hessianBytes(out -> out.writeObject(new Holder(null)));
    // the holder's only field is last: replace its null ('N') with the value
    assertThat(empty[empty.length - 1]).isEqualTo((byte) 'N');
    byte[] holder = new byte[empty.length - 1 + value.length];
    System.arraycopy(empty, 0, holder, 0, empty.length - 1);
    System.arraycopy(value, 0, holder, empty.length - 1, value.length);
    return holder;
  }

  interface Writing {
    void write(Hessian2Output out) throws IOException;
  }

  static byte[] hessianBytes(Writing writing) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Hessian2Output out = new Hessian2Output(bytes);
    com.alibaba.com.caucho.hessian.io.SerializerFactory factory =
        new com.alibaba.com.caucho.hessian.io.SerializerFactory();
    factory.setAllowNonSerializable(true);
    out.setSerializerFactory(factory);
    writing.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  byte[] bytesOf(Object value, Type type) {
    return SerializerRoundTrip.bytesOf(hessian, value, type);
  }

  private void assertRefused(byte[] bytes, Type declared, String... messageParts) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    var thrown = assertThatThrownBy(() -> hessian.read(buf, declared))
        .as("%d bytes declared as %s", bytes.length, declared.getTypeName())
        .isInstanceOf(SerializationException.class);
    for (String part : messageParts) {
      thrown.hasMessageContaining(part);
    }
    assertThat(buf.readerIndex()).isZero();
  }
}
