package io.courier.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadBudgetTest {

  private final ReadBudget budget = new ReadBudget("test");

  @Test
  void allowsValuesInProportionToTheBytesWithAFloor() {
    budget.reset(10);
    assertThat(budget.limit()).isEqualTo(ReadBudget.MIN_VALUES);
    budget.reset(1_000_000);
    assertThat(budget.limit()).isEqualTo(ReadBudget.VALUES_PER_BYTE * 1_000_000L);

    budget.charge(budget.limit() - 1);
    budget.charge(1);
    assertThat(budget.used()).isEqualTo(budget.limit());
    assertThatThrownBy(() -> budget.charge(1))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("test input exceeds its read budget")
        .hasMessageContaining("more than 4000000 values")
        .hasMessageContaining("from 1000000 bytes")
        .hasMessageContaining("ReadBudget.VALUES_PER_BYTE");
  }

  @Test
  void resetStartsAFreshRead() {
    budget.reset(0);
    budget.charge(ReadBudget.MIN_VALUES);
    budget.reset(0);
    assertThat(budget.used()).isZero();
    budget.charge(ReadBudget.MIN_VALUES);
  }

  @Test
  void refusesMoreEqualHashCodesThanTheLimitForElementsATreeBinCannotOrder() {
    Object[] lists = collidingLists(ReadBudget.MAX_EQUAL_HASH_CODES + 1);
    assertThatThrownBy(() -> budget.checkHashCodes(lists, lists.length))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("test input exceeds the hash-collision limit")
        .hasMessageContaining("have the hash code " + lists[0].hashCode())
        .hasMessageContaining("ReadBudget.MAX_EQUAL_HASH_CODES (32)");
    budget.checkHashCodes(lists, lists.length - 1); // at the limit
  }

  @Test
  void countsEqualHashCodesWhereverTheyAreAmongOthers() {
    Object[] elements = new Object[1000];
    for (int i = 0; i < elements.length; i++) {
      elements[i] = i % 20 == 0 ? List.of(i, -31 * i) : List.of(i, i); // 50 lists of hash code 961
    }
    assertThatThrownBy(() -> budget.checkHashCodes(elements, elements.length))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("hash code 961");
    budget.checkHashCodes(elements, 20 * ReadBudget.MAX_EQUAL_HASH_CODES); // 32 of them
  }

  @Test
  void acceptsCollidingKeysOfOneClassThatTreeBinsOrder() {
    Object[] strings = new Object[1024]; // "Aa" and "BB" collide, and so does every string made of them
    for (int i = 0; i < strings.length; i++) {
      StringBuilder s = new StringBuilder();
      for (int bit = 0; bit < 10; bit++) {
        s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      strings[i] = s.toString();
    }
    assertThat(strings[0].hashCode()).isEqualTo(strings[1023].hashCode());
    budget.checkHashCodes(strings, strings.length);

    Object[] longs = new Object[1000];
    for (int i = 0; i < longs.length; i++) {
      longs[i] = i * 0x1_0000_0001L; // every one has the hash code 0
    }
    budget.checkHashCodes(longs, longs.length);
    longs[500] = null; // a map may hold one null key
    budget.checkHashCodes(longs, longs.length);

    // mixed classes cannot be ordered, whatever they are
    Object[] mixed = longs.clone();
    for (int i = 0; i < mixed.length; i += 2) {
      mixed[i] = List.of();
    }
    assertThatThrownBy(() -> budget.checkHashCodes(mixed, mixed.length))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void acceptsOrdinarySetsWhateverTheirClass() {
    List<Object> points = new ArrayList<>();
    for (int x = 0; x < 100; x++) {
      for (int y = 0; y < 100; y++) {
        points.add(List.of(x, y)); // a 100 x 100 grid: at most 4 points share a hash code
      }
    }
    budget.checkHashCodes(points.toArray(), points.size());
  }

  private static Object[] collidingLists(int count) {
    Object[] lists = new Object[count];
    for (int i = 0; i < count; i++) {
      lists[i] = new ArrayList<>(List.of(i, -31 * i)); // 31 * (31 + i) - 31 * i: always 961
    }
    return lists;
  }
}
