package io.courier.examples.console;

import io.courier.common.RpcService;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;

/** Date and time arithmetic: the console demo's second service, {@code java.time} in and out. */
@RpcService(name = "demo.Clock")
public interface Clock {

  /** The time now in a zone such as {@code Europe/Paris} ({@code INVALID_ARGUMENT} for an unknown zone). */
  ZonedDateTime now(String zone);

  /** How long from {@code from} to {@code to} (negative when {@code to} is earlier). */
  Duration between(Instant from, Instant to);

  /** {@code date} plus {@code days} days. */
  LocalDate plusDays(LocalDate date, int days);
}
