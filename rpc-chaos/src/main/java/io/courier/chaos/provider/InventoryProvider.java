package io.courier.chaos.provider;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link Inventory} provider named {@code name}, counting what it runs, with a latency that can be injected while
 * it serves (the "slow provider" of the scenarios). Thread-safe.
 */
public final class InventoryProvider implements Inventory {

  private final String name;
  private final AtomicLong stocks = new AtomicLong();
  private final AtomicLong reservations = new AtomicLong();
  private volatile long delayNanos;

  public InventoryProvider(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Every call from now on takes at least {@code millis} longer (0 removes the delay). */
  public void injectLatency(long millis) {
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** Calls of {@link #stock} run so far. */
  public long stocks() {
    return stocks.get();
  }

  /** Calls of {@link #reserve} run so far. */
  public long reservations() {
    return reservations.get();
  }

  @Override
  public Stock stock(String sku) {
    delay();
    return new Stock(sku, stocks.incrementAndGet(), name);
  }

  @Override
  public Stock reserve(String sku, int count) {
    delay();
    return new Stock(sku, reservations.incrementAndGet(), name);
  }

  private void delay() {
    long nanos = delayNanos;
    if (nanos > 0) {
      try {
        // the injected fault itself: a provider that takes this long per call (a worker thread, not an event loop)
        TimeUnit.NANOSECONDS.sleep(nanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
