package io.courier.transport.netty;

import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's count of open connections and its limit: a connection over the limit is closed as it is accepted.
 * Refusals are logged at most once a second (with how many there were since the last warning), so that a flood
 * of connections does not become a flood of log lines. Used by every Courier server: {@code tcp}, {@code http2}
 * and {@code rest}.
 *
 * <pre>{@code
 * ConnectionLimit limit = new ConnectionLimit(16384, "TcpOptions.MAX_CONNECTIONS");
 * // in the child channel initializer:
 * if (!limit.admit(channel, () -> {})) {
 *   return; // closed
 * }
 * }</pre>
 */
public final class ConnectionLimit {

  private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final int max;
  private final String setting;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refusedSinceWarning = new AtomicLong();
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  /**
   * @param max most connections open at once, at least 1
   * @param setting the option that sets {@code max}, named in the warning
   */
  public ConnectionLimit(int max, String setting) {
    if (max < 1) {
      throw new IllegalArgumentException(setting + " must be at least 1, not " + max);
    }
    this.max = max;
    this.setting = setting;
  }

  /**
   * Counts {@code channel} until it closes (then runs {@code onClose}) and returns true; or, when {@code max}
   * connections are open already, closes it and returns false.
   */
  public boolean admit(Channel channel, Runnable onClose) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      refused(channel);
      channel.close();
      return false;
    }
    channel.closeFuture().addListener(f -> {
      open.decrementAndGet();
      onClose.run();
    });
    return true;
  }

  /** Connections counted and not yet closed. */
  public int open() {
    return open.get();
  }

  private void refused(Channel channel) {
    refusedSinceWarning.incrementAndGet();
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
      long refused = refusedSinceWarning.getAndSet(0);
      log.warn("refusing connection from {}: {} connections open ({}){}", channel.remoteAddress(), max, setting,
          refused > 1 ? "; " + refused + " refused since the last warning" : "");
    }
  }
}
