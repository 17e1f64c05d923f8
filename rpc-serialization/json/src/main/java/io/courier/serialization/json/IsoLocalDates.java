package io.courier.serialization.json;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.ext.javatime.deser.LocalDateDeserializer;
import tools.jackson.databind.ext.javatime.deser.LocalDateTimeDeserializer;
import tools.jackson.databind.ext.javatime.ser.LocalDateSerializer;
import tools.jackson.databind.ext.javatime.ser.LocalDateTimeSerializer;
import tools.jackson.databind.jsontype.TypeDeserializer;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdScalarSerializer;

/**
 * {@code LocalDate} and {@code LocalDateTime} in their ISO-8601 form ({@code 2026-12-01}, {@code 2026-12-01T10:15:30.5})
 * written and read by hand instead of through {@code DateTimeFormatter}, whose parsing builds and resolves a map of
 * fields per value: in a profile of a page of 15 users, {@code java.time} parsing and formatting was about a third of
 * the JSON serializer's time. The output is exactly what Jackson writes with {@code ISO_LOCAL_DATE(_TIME)}; anything
 * else — another shape, a {@code @JsonFormat} on the property, a year outside 0..9999, a lower-case {@code t},
 * surrounding blanks, an invalid date — goes to Jackson's own (de)serializer, so behaviour and error messages are
 * Jackson's.
 */
final class IsoLocalDates {

  private IsoLocalDates() {}

  /** The module that installs the four (de)serializers. */
  static SimpleModule module() {
    return new SimpleModule("courier-iso-local-dates")
        .addSerializer(LocalDate.class, new DateSerializer(LocalDateSerializer.INSTANCE))
        .addSerializer(LocalDateTime.class, new DateTimeSerializer(LocalDateTimeSerializer.INSTANCE))
        .addDeserializer(LocalDate.class, new DateDeserializer(LocalDateDeserializer.INSTANCE))
        .addDeserializer(LocalDateTime.class, new DateTimeDeserializer(LocalDateTimeDeserializer.INSTANCE));
  }

  // ---- formatting ----

  /** Appends {@code yyyy-MM-dd}; {@code false} (nothing appended) for a year ISO writes otherwise. */
  static boolean appendDate(StringBuilder out, LocalDate date) {
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      return false;
    }
    appendDigits(out, year, 4);
    out.append('-');
    appendDigits(out, date.getMonthValue(), 2);
    out.append('-');
    appendDigits(out, date.getDayOfMonth(), 2);
    return true;
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.fraction]}, the fraction without trailing zeros; {@code null} if not in range. */
  static String format(LocalDateTime value) {
    StringBuilder out = new StringBuilder(29);
    if (!appendDate(out, value.toLocalDate())) {
      return null;
    }
    out.append('T');
    appendDigits(out, value.getHour(), 2);
    out.append(':');
    appendDigits(out, value.getMinute(), 2);
    out.append(':');
    appendDigits(out, value.getSecond(), 2);
    int nano = value.getNano();
    if (nano != 0) {
      int digits = 9;
      while (nano % 10 == 0) {
        nano /= 10;
        digits--;
      }
      out.append('.');
      appendDigits(out, nano, digits);
    }
    return out.toString();
  }

  private static void appendDigits(StringBuilder out, int value, int width) {
    for (int divisor = pow10(width - 1); divisor > 0; divisor /= 10) {
      out.append((char) ('0' + value / divisor % 10));
    }
  }

  private static int pow10(int n) {
    int p = 1;
    for (int i = 0; i < n; i++) {
      p *= 10;
    }
    return p;
  }

  // ---- parsing: the strict ISO form only, else null ----

  /** {@code yyyy-MM-dd} exactly, or {@code null} (including for an invalid date). */
  static LocalDate parseDate(String s) {
    if (s.length() != 10) {
      return null;
    }
    return date(s);
  }

  /**
   * {@code yyyy-MM-ddTHH:mm}, with optional {@code :ss} and {@code .} and one to nine fraction digits, exactly; or
   * {@code null} (including for an invalid value).
   */
  static LocalDateTime parseDateTime(String s) {
    int length = s.length();
    if (length < 16 || s.charAt(10) != 'T' || s.charAt(13) != ':') {
      return null;
    }
    LocalDate date = date(s);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    if (date == null || hour < 0 || minute < 0) {
      return null;
    }
    int second = 0;
    int nano = 0;
    if (length > 16) {
      if (length < 19 || s.charAt(16) != ':' || (second = digits(s, 17, 2)) < 0) {
        return null;
      }
      if (length > 19) {
        int fraction = length - 20;
        if (s.charAt(19) != '.' || fraction < 1 || fraction > 9 || (nano = digits(s, 20, fraction)) < 0) {
          return null;
        }
        nano *= pow10(9 - fraction);
      }
    }
    try {
      return LocalDateTime.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth(), hour, minute, second,
          nano);
    } catch (DateTimeException invalid) {
      return null;
    }
  }

  /** The date in the first ten characters ({@code yyyy-MM-dd}), or {@code null}. */
  private static LocalDate date(String s) {
    if (s.charAt(4) != '-' || s.charAt(7) != '-') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    if (year < 0 || month < 0 || day < 0) {
      return null;
    }
    try {
      return LocalDate.of(year, month, day);
    } catch (DateTimeException invalid) {
      return null;
    }
  }

  /** The ASCII digits {@code s[from, from + count)} as a number, or -1 if one is not a digit. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  // ---- the (de)serializers: the fast path, else Jackson's own ----

  private static final class DateSerializer extends StdScalarSerializer<LocalDate> {
    private final ValueSerializer<LocalDate> jackson;

    DateSerializer(ValueSerializer<LocalDate> jackson) {
      super(LocalDate.class);
      this.jackson = jackson;
    }

    @Override
    public void serialize(LocalDate value, JsonGenerator gen, SerializationContext ctxt) throws JacksonException {
      StringBuilder out = new StringBuilder(10);
      if (appendDate(out, value)) {
        gen.writeString(out.toString());
      } else {
        jackson.serialize(value, gen, ctxt);
      }
    }

    @Override
    public void serializeWithType(LocalDate value, JsonGenerator gen, SerializationContext ctxt,
        TypeSerializer typeSer) throws JacksonException {
      jackson.serializeWithType(value, gen, ctxt, typeSer);
    }

    @Override
    public ValueSerializer<?> createContextual(SerializationContext ctxt, BeanProperty property) {
      ValueSerializer<?> contextual = jackson.createContextual(ctxt, property);
      return contextual == jackson ? this : contextual; // a @JsonFormat: Jackson's, as configured
    }
  }

  private static final class DateTimeSerializer extends StdScalarSerializer<LocalDateTime> {
    private final ValueSerializer<LocalDateTime> jackson;

    DateTimeSerializer(ValueSerializer<LocalDateTime> jackson) {
      super(LocalDateTime.class);
      this.jackson = jackson;
    }

    @Override
    public void serialize(LocalDateTime value, JsonGenerator gen, SerializationContext ctxt)
        throws JacksonException {
      String text = format(value);
      if (text != null) {
        gen.writeString(text);
      } else {
        jackson.serialize(value, gen, ctxt);
      }
    }

    @Override
    public void serializeWithType(LocalDateTime value, JsonGenerator gen, SerializationContext ctxt,
        TypeSerializer typeSer) throws JacksonException {
      jackson.serializeWithType(value, gen, ctxt, typeSer);
    }

    @Override
    public ValueSerializer<?> createContextual(SerializationContext ctxt, BeanProperty property) {
      ValueSerializer<?> contextual = jackson.createContextual(ctxt, property);
      return contextual == jackson ? this : contextual;
    }
  }

  private static final class DateDeserializer extends StdScalarDeserializer<LocalDate> {
    private final ValueDeserializer<LocalDate> jackson;

    DateDeserializer(ValueDeserializer<LocalDate> jackson) {
      super(LocalDate.class);
      this.jackson = jackson;
    }

    @Override
    public LocalDate deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
      if (p.hasToken(JsonToken.VALUE_STRING)) {
        LocalDate parsed = parseDate(p.getString());
        if (parsed != null) {
          return parsed;
        }
      }
      return jackson.deserialize(p, ctxt);
    }

    @Override
    public Object deserializeWithType(JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer)
        throws JacksonException {
      return jackson.deserializeWithType(p, ctxt, typeDeserializer);
    }

    @Override
    public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
      ValueDeserializer<?> contextual = jackson.createContextual(ctxt, property);
      return contextual == jackson ? this : contextual;
    }
  }

  private static final class DateTimeDeserializer extends StdScalarDeserializer<LocalDateTime> {
    private final ValueDeserializer<LocalDateTime> jackson;

    DateTimeDeserializer(ValueDeserializer<LocalDateTime> jackson) {
      super(LocalDateTime.class);
      this.jackson = jackson;
    }

    @Override
    public LocalDateTime deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
      if (p.hasToken(JsonToken.VALUE_STRING) && !ctxt.isEnabled(DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ)) {
        LocalDateTime parsed = parseDateTime(p.getString());
        if (parsed != null) {
          return parsed;
        }
      }
      return jackson.deserialize(p, ctxt);
    }

    @Override
    public Object deserializeWithType(JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer)
        throws JacksonException {
      return jackson.deserializeWithType(p, ctxt, typeDeserializer);
    }

    @Override
    public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
      ValueDeserializer<?> contextual = jackson.createContextual(ctxt, property);
      return contextual == jackson ? this : contextual;
    }
  }
}
