package io.courier.chaos;

import java.time.Duration;
import java.util.Locale;

/**
 * How big a scenario is. The build runs the {@code short} profile (every scenario, about two minutes in all);
 * {@code -Pchaos} sets {@code courier.chaos.profile=full} (a 30 s ZooKeeper outage, a 10 minute soak, longer loads).
 * Any single figure can be overridden with {@code -Dcourier.chaos.<key>=<value>}, for example
 * {@code -Dcourier.chaos.soak.duration=30m}; every scenario prints the keys it reads.
 */
final class ChaosSettings {

  static final String PROFILE = System.getProperty("courier.chaos.profile", "short").trim().toLowerCase(Locale.ROOT);
  static final boolean FULL = PROFILE.equals("full");

  private ChaosSettings() {}

  /** {@code courier.chaos.<key>} if set ({@code 500ms}, {@code 30s}, {@code 10m}), else the profile's value. */
  static Duration duration(String key, String shortValue, String fullValue) {
    return parse(key, System.getProperty("courier.chaos." + key, FULL ? fullValue : shortValue));
  }

  /** {@code courier.chaos.<key>} if set, else the profile's value. */
  static int number(String key, int shortValue, int fullValue) {
    String value = System.getProperty("courier.chaos." + key);
    if (value == null) {
      return FULL ? fullValue : shortValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("courier.chaos." + key + ": '" + value + "' (expected: a whole number)", e);
    }
  }

  /** {@code courier.chaos.<key>} if set ({@code true} or {@code false}), else the profile's value. */
  static boolean flag(String key, boolean shortValue, boolean fullValue) {
    String value = System.getProperty("courier.chaos." + key);
    if (value == null) {
      return FULL ? fullValue : shortValue;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("courier.chaos." + key + ": '" + value
          + "' (expected: true or false)");
    };
  }

  static Duration parse(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        default:
          break;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("courier.chaos." + key + ": '" + value + "' (expected: 500ms, 30s, 10m or 1h)");
  }
}
