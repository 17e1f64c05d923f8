package io.courier.bench.harness;

import java.util.List;
import java.util.Map;

/** A small JSON writer (the harness keeps its class path to HdrHistogram alone). */
final class Json {

  private final StringBuilder b = new StringBuilder();
  private final boolean[] first = new boolean[64];
  private int depth;

  Json beginObject() {
    value();
    b.append('{');
    first[++depth] = true;
    return this;
  }

  Json endObject() {
    depth--;
    b.append('}');
    return this;
  }

  Json beginArray() {
    value();
    b.append('[');
    first[++depth] = true;
    return this;
  }

  Json endArray() {
    depth--;
    b.append(']');
    return this;
  }

  Json name(String name) {
    comma();
    string(name);
    b.append(':');
    first[depth] = true; // the value that follows takes no comma
    return this;
  }

  Json field(String name, Object value) {
    name(name);
    return value(value);
  }

  Json value(Object v) {
    value();
    if (v == null) {
      b.append("null");
    } else if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        b.append("null");
      } else if (v instanceof Double || v instanceof Float) {
        b.append(java.math.BigDecimal.valueOf(d).round(new java.math.MathContext(6)).stripTrailingZeros()
            .toPlainString());
      } else {
        b.append(n);
      }
    } else if (v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof List<?> list) {
      b.append('[');
      first[++depth] = true;
      list.forEach(this::value);
      depth--;
      b.append(']');
    } else if (v instanceof Map<?, ?> map) {
      b.append('{');
      first[++depth] = true;
      map.forEach((k, val) -> field(String.valueOf(k), val));
      depth--;
      b.append('}');
    } else {
      string(String.valueOf(v));
    }
    return this;
  }

  private void value() {
    comma();
  }

  private void comma() {
    if (depth > 0) {
      if (!first[depth]) {
        b.append(',');
      }
      first[depth] = false;
    }
  }

  private void string(String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  @Override
  public String toString() {
    return b.toString();
  }
}
