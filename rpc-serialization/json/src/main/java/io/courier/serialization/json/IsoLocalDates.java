package io.courier.serialization.json;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
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
 * {@code LocalDate} and {@code LocalDateTime} in their ISO-8601 form ({@code 2026-12-01},
 * {@code 2026-12-01T10:15:30.5}) written and read by hand instead of through {@code DateTimeFormatter}, whose parsing
 * builds and resolves a map of fields per value: in a profile of a page of 15 users, {@code java.time} parsing and
 * formatting was about a third of the JSON serializer's time. The output is exactly what Jackson writes with
 * {@code ISO_LOCAL_DATE(_TIME)}; anything else — another shape, a {@code @JsonFormat} on the property, a year outside
 * 0..9999, a lower-case {@code t}, surrounding blanks, an invalid date — goes to Jackson's own (de)serializer, so
 * behaviour and error messages are Jackson's.
 */
final class IsoLocalDates {

  private IsoLocalDates() {}

  /** The module that installs the four (de)serializers. */
  static SimpleModule module() {
    return new SimpleModule("courier-iso-local-dates")
        .addSerializer(LocalDate.class, new FastSerializer<>(LocalDate.class, LocalDateSerializer.INSTANCE,
            IsoLocalDates::format))
        .addSerializer(LocalDateTime.class, new FastSerializer<>(LocalDateTime.class,
            LocalDateTimeSerializer.INSTANCE, IsoLocalDates::format))
        .addDeserializer(LocalDate.class, new FastDeserializer<>(LocalDate.class, LocalDateDeserializer.INSTANCE,
            IsoLocalDates::parseDate))
        .addDeserializer(LocalDateTime.class, new FastDeserializer<>(LocalDateTime.class,
            LocalDateTimeDeserializer.INSTANCE, IsoLocalDates::parseDateTime));
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

  /** {@code LocalDate} as ISO text, or {@code null} for a year ISO writes otherwise. */
  private static String format(LocalDate date) {
    StringBuilder out = new StringBuilder(10);
    return appendDate(out, date) ? out.toString() : null;
  }

  /** Writes {@code format}'s text; where it gives none, or with a {@code @JsonFormat}, Jackson's serializer does. */
  private static final class FastSerializer<T> extends StdScalarSerializer<T> {
    private final ValueSerializer<T> jackson;
    private final Function<T, String> format;

    FastSerializer(Class<T> type, ValueSerializer<T> jackson, Function<T, String> format) {
      super(type);
      this.jackson = jackson;
      this.format = format;
    }

    @Override
    public void serialize(T value, JsonGenerator gen, SerializationContext ctxt) throws JacksonException {
      String text = format.apply(value);
      if (text != null) {
        gen.writeString(text);
      } else {
        jackson.serialize(value, gen, ctxt);
      }
    }

    @Override
    public void serializeWithType(T value, JsonGenerator gen, SerializationContext ctxt, TypeSerializer typeSer)
        throws JacksonException {
      jackson.serializeWithType(value, gen, ctxt, typeSer);
    }

    @Override
    public ValueSerializer<?> createContextual(SerializationContext ctxt, BeanProperty property) {
      ValueSerializer<?> contextual = jackson.createContextual(ctxt, property);
      return contextual == jackson ? this : contextual; // a @JsonFormat: Jackson's, as configured
    }
  }

  /** Reads a string with {@code parse}; anything it does not take goes to Jackson's deserializer. */
  private static final class FastDeserializer<T> extends StdScalarDeserializer<T> {
    private final ValueDeserializer<T> jackson;
    private final Function<String, T> parse;

    FastDeserializer(Class<T> type, ValueDeserializer<T> jackson, Function<String, T> parse) {
      super(type);
      this.jackson = jackson;
      this.parse = parse;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
      // TRUNCATE_TO_MSECS_ON_READ changes what Jackson returns for a date-time: leave such reads to it
      if (p.hasToken(JsonToken.VALUE_STRING) && !ctxt.isEnabled(DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ)) {
        T parsed = parse.apply(p.getString());
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
