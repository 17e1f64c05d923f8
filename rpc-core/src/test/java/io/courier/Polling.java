package io.courier;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition by polling with a deadline, never by sleeping a fixed time. The same as
 * {@code io.courier.testing.Polling}, which rpc-core's own tests cannot use (courier-testing depends on core).
 */
public final class Polling {

  private Polling() {}

  /** Polls {@code condition} every millisecond until true; fails the test after 10 seconds. */
  public static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after 10000 ms waiting for: " + what);
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
