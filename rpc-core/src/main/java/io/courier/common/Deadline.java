package io.courier.common;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An absolute point in time by which a call must finish, measured on {@link System#nanoTime()} so that wall
 * clock changes do not move it. Immutable. Transports send the time remaining, never the absolute value.
 *
 * <pre>{@code
 * Deadline deadline = Deadline.after(Duration.ofMillis(300));
 * long left = deadline.timeRemaining(TimeUnit.MILLISECONDS);
 * }</pre>
 */
public final class Deadline implements Comparable<Deadline> {

  /** Deadlines further out than this are clamped, so arithmetic on nano times cannot overflow. */
  private static final long MAX_NANOS = TimeUnit.DAYS.toNanos(365L * 100);

  private final long deadlineNanos;

  private Deadline(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /** A deadline {@code timeout} from now; negative timeouts give an already expired deadline. */
  public static Deadline after(Duration timeout) {
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException overflow) {
      nanos = timeout.isNegative() ? -MAX_NANOS : MAX_NANOS;
    }
    return after(nanos, TimeUnit.NANOSECONDS);
  }

  /** A deadline {@code amount} units from now. */
  public static Deadline after(long amount, TimeUnit unit) {
    long nanos = Math.max(-MAX_NANOS, Math.min(MAX_NANOS, unit.toNanos(amount)));
    return new Deadline(System.nanoTime() + nanos);
  }

  /** Nanoseconds left, negative once expired. */
  public long remainingNanos() {
    return deadlineNanos - System.nanoTime();
  }

  /** Time left in {@code unit}, rounded down; negative once expired. */
  public long timeRemaining(TimeUnit unit) {
    return unit.convert(remainingNanos(), TimeUnit.NANOSECONDS);
  }

  public boolean isExpired() {
    return remainingNanos() <= 0;
  }

  /** The earlier of this and {@code other}; {@code other} may be null. */
  public Deadline minimum(Deadline other) {
    return other == null || compareTo(other) <= 0 ? this : other;
  }

  @Override
  public int compareTo(Deadline other) {
    return Long.compare(deadlineNanos - other.deadlineNanos, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline d && d.deadlineNanos == deadlineNanos;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(deadlineNanos);
  }

  @Override
  public String toString() {
    long remaining = remainingNanos();
    return remaining > 0
        ? "Deadline[in " + TimeUnit.NANOSECONDS.toMillis(remaining) + " ms]"
        : "Deadline[expired " + TimeUnit.NANOSECONDS.toMillis(-remaining) + " ms ago]";
  }
}
