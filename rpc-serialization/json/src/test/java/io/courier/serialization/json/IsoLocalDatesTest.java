package io.courier.serialization.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.SerializerRoundTrip;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-written ISO form of {@code LocalDate} and {@code LocalDateTime} ({@link IsoLocalDates}) writes exactly what
 * {@code DateTimeFormatter.ISO_LOCAL_DATE(_TIME)} writes, reads what it reads, and leaves everything else to Jackson.
 */
class IsoLocalDatesTest {

  private final Serializer json = new JsonSerializerProvider().create(TypeAllowlist.withDefaults()
      .allowType(Dated.class));

  /** A model whose second date has its own format. */
  static final class Dated {
    LocalDate plain;
    @JsonFormat(pattern = "dd.MM.yyyy")
    LocalDate german;
    LocalDateTime at;

    Dated() {}

    Dated(LocalDate plain, LocalDate german, LocalDateTime at) {
      this.plain = plain;
      this.german = german;
      this.at = at;
    }
  }

  @Test
  void formatsAndParsesExactlyAsTheIsoFormatters() {
    SplittableRandom random = new SplittableRandom(20261201);
    for (int i = 0; i < 20_000; i++) {
      int precision = random.nextInt(4); // whole seconds, millis, micros, nanos
      int nano = switch (precision) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      LocalDateTime value = LocalDateTime.of(random.nextInt(10_000), 1 + random.nextInt(12), 1 + random.nextInt(28),
          random.nextInt(24), random.nextInt(60), random.nextInt(60), nano);
      String iso = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(value);
      assertThat(IsoLocalDates.format(value)).isEqualTo(iso);
      assertThat(IsoLocalDates.parseDateTime(iso)).isEqualTo(value);
      String date = DateTimeFormatter.ISO_LOCAL_DATE.format(value.toLocalDate());
      StringBuilder written = new StringBuilder();
      assertThat(IsoLocalDates.appendDate(written, value.toLocalDate())).isTrue();
      assertThat(written.toString()).isEqualTo(date);
      assertThat(IsoLocalDates.parseDate(date)).isEqualTo(value.toLocalDate());
    }
    assertThat(IsoLocalDates.parseDateTime("2026-12-01T10:15")).isEqualTo(LocalDateTime.of(2026, 12, 1, 10, 15));
    assertThat(IsoLocalDates.parseDateTime("2026-12-01T10:15:30.5"))
        .isEqualTo(LocalDateTime.of(2026, 12, 1, 10, 15, 30, 500_000_000));
  }

  @Test
  void anythingButTheStrictFormIsLeftToJackson() {
    for (String odd : new String[] {"2026-02-30", "2026-13-01", "+12026-01-01", "2026-1-01", " 2026-12-01",
        "2026-12-01Z", "２０２６-12-01"}) {
      assertThat(IsoLocalDates.parseDate(odd)).as(odd).isNull();
    }
    for (String odd : new String[] {"2026-12-01t10:15", "2026-12-01T10:15Z", "2026-12-01T24:00", "2026-12-01T10:15:",
        "2026-12-01T10:15:30.", "2026-12-01T10:15:30.1234567890", "2026-12-01T10:15:61", "2026-12-01 10:15"}) {
      assertThat(IsoLocalDates.parseDateTime(odd)).as(odd).isNull();
    }
    assertThat(IsoLocalDates.format(LocalDateTime.of(12026, 1, 1, 0, 0))).isNull();
    assertThat(IsoLocalDates.appendDate(new StringBuilder(), LocalDate.of(-1, 1, 1))).isFalse();

    // through the serializer: Jackson's own reading and writing, and its errors
    assertThat(read("\"2026-12-01t10:15\"", LocalDateTime.class)).isEqualTo(LocalDateTime.of(2026, 12, 1, 10, 15));
    assertThat(read("\"  2026-12-01 \"", LocalDate.class)).isEqualTo(LocalDate.of(2026, 12, 1));
    assertThat(written(LocalDate.of(12026, 1, 1), LocalDate.class)).isEqualTo("\"+12026-01-01\"");
    assertThat(read("\"+12026-01-01\"", LocalDate.class)).isEqualTo(LocalDate.of(12026, 1, 1));
    assertThatThrownBy(() -> read("\"2026-02-30\"", LocalDate.class)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("2026-02-30");
  }

  @Test
  void aJsonFormatOnThePropertyIsJacksons() {
    Dated value = new Dated(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 1),
        LocalDateTime.of(2026, 12, 1, 10, 15, 30, 120_000_000));
    assertThat(written(value, Dated.class))
        .isEqualTo("{\"at\":\"2026-12-01T10:15:30.12\",\"german\":\"01.12.2026\",\"plain\":\"2026-12-01\"}");
    assertThat(SerializerRoundTrip.roundTrip(json, value, Dated.class)).usingRecursiveComparison().isEqualTo(value);
  }

  private Object read(String text, Class<?> type) {
    return json.read(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), type);
  }

  private String written(Object value, Class<?> type) {
    return new String(SerializerRoundTrip.bytesOf(json, value, type), StandardCharsets.UTF_8);
  }
}
