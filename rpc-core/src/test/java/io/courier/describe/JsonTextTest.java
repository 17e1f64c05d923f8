package io.courier.describe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void writesEveryKindOfValue() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("s", "a\"b\\c\n\u0001");
    tree.put("i", 1);
    tree.put("l", Long.MIN_VALUE);
    tree.put("d", 0.5);
    tree.put("b", true);
    tree.put("n", null);
    tree.put("list", new ArrayList<>(Arrays.asList(1, null, "x")));
    tree.put("empty", Map.of());
    assertThat(JsonText.write(tree)).isEqualTo("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"i\":1,\"l\":-9223372036854775808,"
        + "\"d\":0.5,\"b\":true,\"n\":null,\"list\":[1,null,\"x\"],\"empty\":{}}");
  }

  @Test
  void escapesLoneSurrogatesAndKeepsPairs() {
    assertThat(JsonText.write("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
    assertThat(JsonText.write("\uD83D")).isEqualTo("\"\\ud83d\"");
  }

  @Test
  void refusesWhatJsonCannotCarry() {
    assertThatThrownBy(() -> JsonText.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: a finite number");
    assertThatThrownBy(() -> JsonText.write(List.of(new Object()))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object in a JSON tree");
  }
}
