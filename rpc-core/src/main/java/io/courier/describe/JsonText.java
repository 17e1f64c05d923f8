package io.courier.describe;

import java.util.Collection;
import java.util.Map;

/**
 * Writes a JSON tree — {@code Map} (objects, keys written with {@code String.valueOf}), {@code Collection} and arrays
 * of objects (arrays), {@code CharSequence}, {@code Number}, {@code Boolean}, {@code Enum} (its name) and {@code null}
 * — as compact JSON text. The description's own small writer, so that {@code rpc-core} needs no JSON library.
 * Stateless.
 *
 * <pre>{@code
 * JsonText.write(Map.of("type", "string"))   // {"type":"string"}
 * }</pre>
 */
public final class JsonText {

  private JsonText() {}

  /**
   * The JSON text of {@code tree}.
   *
   * @throws IllegalArgumentException naming the value, if the tree holds a value JSON cannot carry (a non-finite
   *     number, an object of another kind)
   */
  public static String write(Object tree) {
    StringBuilder sb = new StringBuilder(256);
    write(sb, tree, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object value, int depth) {
    if (depth > 512) {
      throw new IllegalArgumentException("a JSON tree nested deeper than 512 levels (expected: a tree, not a cycle)");
    }
    if (value == null) {
      sb.append("null");
    } else if (value instanceof CharSequence s) {
      string(sb, s);
    } else if (value instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("number: " + d + " (expected: a finite number)");
      }
      sb.append(value);
    } else if (value instanceof Number n) {
      sb.append(n);
    } else if (value instanceof Enum<?> e) {
      string(sb, e.name());
    } else if (value instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        sb.append(first ? "" : ",");
        first = false;
        string(sb, String.valueOf(entry.getKey()));
        sb.append(':');
        write(sb, entry.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (value instanceof Collection<?> list) {
      sb.append('[');
      boolean first = true;
      for (Object element : list) {
        sb.append(first ? "" : ",");
        first = false;
        write(sb, element, depth + 1);
      }
      sb.append(']');
    } else if (value instanceof Object[] array) {
      sb.append('[');
      for (int i = 0; i < array.length; i++) {
        sb.append(i == 0 ? "" : ",");
        write(sb, array[i], depth + 1);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("a " + value.getClass().getName() + " in a JSON tree (expected: Map, "
          + "Collection, Object[], CharSequence, Number, Boolean, Enum or null)");
    }
  }

  private static void string(StringBuilder sb, CharSequence s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validSurrogate(s, i)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** Whether the surrogate at {@code i} is half of a valid pair (a lone one is escaped, not written raw). */
  private static boolean validSurrogate(CharSequence s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
