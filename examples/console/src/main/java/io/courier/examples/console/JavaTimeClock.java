package io.courier.examples.console;

import io.courier.common.Status;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** {@link Clock} on {@code java.time} and the system clock. Stateless. */
final class JavaTimeClock implements Clock {

  @Override
  public ZonedDateTime now(String zone) {
    if (zone == null) {
      throw Status.INVALID_ARGUMENT.withDescription("zone: null (expected: a zone id such as Europe/Paris)")
          .asException();
    }
    try {
      return ZonedDateTime.now(ZoneId.of(zone));
    } catch (DateTimeException e) {
      throw Status.INVALID_ARGUMENT.withDescription("zone: '" + zone + "' (expected: a zone id such as Europe/Paris)")
          .withCause(e).asException();
    }
  }

  @Override
  public Duration between(Instant from, Instant to) {
    return Duration.between(from, to);
  }

  @Override
  public LocalDate plusDays(LocalDate date, int days) {
    return date.plusDays(days);
  }
}
