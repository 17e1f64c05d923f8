package io.courier.serialization.hessian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.SerializerRoundTrip;
import io.courier.testing.serialization.Page;
import io.courier.testing.serialization.TypeRef;
import io.courier.testing.serialization.User;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Values that do not have their declared element and field types, written with hessian's own writer (which does
 * not know what the reader declares), are refused, whatever hessian's reader builds from them.
 */
class DeclaredTypesTest {

  private static final Type PAGE_OF_USERS = new TypeRef<Page<User>>() {}.type();
  private static final Type LIST_OF_INTEGERS = new TypeRef<List<Integer>>() {}.type();
  private static final Type MAP_OF_STRING_TO_OBJECT = new TypeRef<Map<String, Object>>() {}.type();

  private final TypeAllowlist allowlist = TypeAllowlist.withDefaults().allowType(PAGE_OF_USERS)
      .allowType(Mixed.class);
  private final Serializer hessian = new HessianSerializerProvider().create(allowlist);

  @Test
  void refusesElementsThatAreNotOfTheDeclaredType() {
    List<Object> listsOfLists = List.of(List.of(1), List.of(2));
    assertRefused(bytesOf(listsOfLists, Object.class), LIST_OF_INTEGERS, "java.util.List<java.lang.Integer>");

    Page<Object> pageOfStrings = new Page<>(1, 1, List.of("not a user"));
    assertRefused(bytesOf(pageOfStrings, Object.class), PAGE_OF_USERS,
        "hessian read a java.lang.String where io.courier.testing.serialization.User was declared, in a value declared"
            + " as io.courier.testing.serialization.Page<io.courier.testing.serialization.User>");

    User user = User.sample(1);
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Integer> strings = (List) new ArrayList<>(List.of("read", "write"));
    user.setPermissions(strings);
    assertRefused(bytesOf(new Page<>(1, 1, List.of(user)), PAGE_OF_USERS), PAGE_OF_USERS,
        "User.permissions: expected integer"); // hessian's reader is told a list field's element class

    Map<Object, Object> numberKeys = new LinkedHashMap<>(Map.of(1, "one"));
    assertRefused(bytesOf(numberKeys, Object.class), MAP_OF_STRING_TO_OBJECT,
        "hessian read a java.lang.Integer where java.lang.String was declared");
    Type mapOfLists = new TypeRef<Map<String, List<Integer>>>() {}.type();
    assertRefused(bytesOf(Map.of("k", List.of(List.of(1))), Object.class), mapOfLists, "was declared");
  }

  @Test
  void checksASharedValueAgainstEveryTypeItIsDeclaredAs() {
    List<Object> lists = new ArrayList<>(List.of(new ArrayList<>(List.of(1))));
    @SuppressWarnings({"unchecked", "rawtypes"})
    Mixed mixed = new Mixed(lists, (List) lists); // written once, then as a back-reference
    byte[] bytes = bytesOf(mixed, Mixed.class);
    assertRefused(bytes, Mixed.class, "where java.lang.Integer was declared");
  }

  @Test
  void acceptsWhatTheDeclaredTypesAllow() {
    Map<String, Object> anything = new HashMap<>();
    anything.put("list", new ArrayList<>(List.of(List.of(1), "x")));
    anything.put("map", new HashMap<>(Map.of(1, 2)));
    anything.put("user", User.sample(2));
    assertThat(SerializerRoundTrip.roundTrip(hessian, anything, MAP_OF_STRING_TO_OBJECT)).isEqualTo(anything);
    Type setOfLists = new TypeRef<Set<List<Integer>>>() {}.type();
    Set<List<Integer>> grid = new HashSet<>();
    for (int x = 0; x < 50; x++) {
      for (int y = 0; y < 50; y++) {
        grid.add(new ArrayList<>(List.of(x, y)));
      }
    }
    assertThat(SerializerRoundTrip.roundTrip(hessian, grid, setOfLists)).isEqualTo(grid);
    // hessian writes shorts as ints; the declared type reads them back
    List<Short> shorts = List.of((short) 1, (short) -2);
    assertThat(SerializerRoundTrip.roundTrip(hessian, shorts, new TypeRef<List<Short>>() {}.type())).isEqualTo(shorts);
    Mixed mixed = new Mixed(List.of(List.of("x")), List.of(1, 2));
    assertThat(SerializerRoundTrip.roundTrip(hessian, mixed, Mixed.class)).isEqualTo(mixed);
  }

  @Test
  void resolvesTypeVariablesThroughSubclassesAndSupertypes() {
    DeclaredTypes types = new DeclaredTypes();
    assertThat(types.of(PAGE_OF_USERS).expectedTypes()).isNull();
    assertThat(types.of(LIST_OF_INTEGERS).expectedTypes()).containsExactly(Integer.class);
    assertThat(types.of(MAP_OF_STRING_TO_OBJECT).expectedTypes()).containsExactly(String.class, Object.class);
    assertThat(DeclaredTypes.supertypeArgument(Strings.class, java.util.Collection.class, 0)).isEqualTo(String.class);
    types.of(Strings.class).check(new Strings(), false);
    Strings wrong = new Strings();
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Object> raw = (List) wrong;
    raw.add(1);
    assertThatThrownBy(() -> types.of(Strings.class).check(wrong, false))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("hessian read a java.lang.Integer where java.lang.String was declared");
  }

  /** A list class that fixes its element type in its superclass. */
  static final class Strings extends ArrayList<String> {
    private static final long serialVersionUID = 1L;
  }

  // ---------------------------------------------------------------- helpers

  private byte[] bytesOf(Object value, Type type) {
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
