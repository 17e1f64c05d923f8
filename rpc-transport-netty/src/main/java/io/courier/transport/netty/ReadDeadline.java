package io.courier.transport.netty;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deadline on reading one protocol unit — a frame, a header block, an HTTP request — from the moment its first byte
 * arrives: {@link #arm()} when a unit is incomplete, {@link #disarm()} when it is whole; a unit still incomplete
 * {@code timeout} after it began runs {@code onExpiry} (which closes the connection). Unlike an idle timeout, a peer
 * that trickles a byte now and then cannot keep a unit open. Cheap on the hot path: arming sets two fields, and at
 * most one timer task per connection is scheduled at a time, re-armed only while a unit is open.
 *
 * <pre>{@code
 * ReadDeadline deadline = new ReadDeadline(ctx, timeoutNanos, () -> close(ctx, "a frame did not arrive in time"));
 * if (frameIncomplete) deadline.arm(); else deadline.disarm();
 * }</pre>
 *
 * <p>Event loop only.
 */
public final class ReadDeadline {

  private final ChannelHandlerContext ctx;
  private final long timeoutNanos;
  private final Runnable onExpiry;
  private boolean armed;
  private long since;
  private ScheduledFuture<?> check;
  private boolean cancelled;

  /** @param timeoutNanos how long a unit may take; 0 or less disables the deadline */
  public ReadDeadline(ChannelHandlerContext ctx, long timeoutNanos, Runnable onExpiry) {
    this.ctx = ctx;
    this.timeoutNanos = timeoutNanos;
    this.onExpiry = onExpiry;
  }

  /** A unit is incomplete: its clock starts now unless it is already running. */
  public void arm() {
    if (armed || timeoutNanos <= 0 || cancelled) {
      return;
    }
    armed = true;
    since = System.nanoTime();
    if (check == null) {
      check = ctx.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The unit is whole. */
  public void disarm() {
    armed = false;
  }

  /** Whether a unit is open. */
  public boolean isArmed() {
    return armed;
  }

  /** Stops checking for good (the connection closed). */
  public void cancel() {
    cancelled = true;
    armed = false;
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }

  private void check() {
    check = null;
    if (!armed || cancelled) {
      return;
    }
    long left = since + timeoutNanos - System.nanoTime();
    if (left <= 0) {
      cancel();
      onExpiry.run();
      return;
    }
    check = ctx.executor().schedule(this::check, left, TimeUnit.NANOSECONDS);
  }
}
