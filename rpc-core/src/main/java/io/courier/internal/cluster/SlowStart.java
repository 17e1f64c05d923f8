package io.courier.internal.cluster;

import java.time.Duration;

/**
 * How a provider that joins a service the client already calls — new, or registered again after a restart — is
 * eased in: for {@code window} after the client first lists it, its share of calls ramps linearly from
 * {@code floor} of a full share to all of it (Envoy's slow start, Dubbo's warm-up weight). A zero window turns it
 * off.
 */
public record SlowStart(Duration window, double floor) {

  /** The longest window accepted. */
  public static final Duration MAX_WINDOW = Duration.ofDays(1);
  /** The share a provider starts with. */
  public static final double DEFAULT_FLOOR = 0.1;
  /**
   * Ten seconds from a tenth: a just-started provider (cold JIT, empty pools and caches) does not take a full share
   * at once, and a restarted one is back at its full share within seconds.
   */
  public static final SlowStart DEFAULT = new SlowStart(Duration.ofSeconds(10), DEFAULT_FLOOR);
  public static final SlowStart OFF = new SlowStart(Duration.ZERO, DEFAULT_FLOOR);

  public SlowStart {
    if (window == null || window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException("slowStart: " + window + " (expected: 0 to " + MAX_WINDOW
          + "; 0 turns slow start off)");
    }
    if (!(floor > 0) || floor > 1) {
      throw new IllegalArgumentException("floor: " + floor + " (expected: > 0 and <= 1)");
    }
  }

  /**
   * The share of a full share for a provider listed since {@code since}, at {@code now} (both {@code System.nanoTime()}
   * values): {@code floor} at first, 1 at the end of the window and after.
   */
  double factor(long since, long now) {
    long windowNanos = window.toNanos();
    long elapsed = now - since;
    if (windowNanos == 0 || elapsed >= windowNanos) {
      return 1;
    }
    if (elapsed <= 0) {
      return floor;
    }
    return floor + (1 - floor) * ((double) elapsed / windowNanos);
  }
}
