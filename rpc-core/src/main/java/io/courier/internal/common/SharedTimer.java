package io.courier.internal.common;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One hashed wheel timer for every client and server in the JVM, reference counted: the first
 * {@link #acquire()} starts it, the last {@link #release} stops it. A timer per client would cost a thread
 * each, and Netty warns past 64 of them.
 */
public final class SharedTimer {

  private static final Object LOCK = new Object();
  private static HashedWheelTimer timer; // guarded by LOCK
  private static int references; // guarded by LOCK

  private SharedTimer() {}

  /** The shared timer, started if needed; pair every call with {@link #release}. */
  public static Timer acquire() {
    synchronized (LOCK) {
      if (timer == null) {
        // 10 ms ticks: deadlines are met to within about a tick.
        timer = new HashedWheelTimer(new DefaultThreadFactory("courier-timer", true), 10,
            TimeUnit.MILLISECONDS, 512);
        timer.start();
      }
      references++;
      return timer;
    }
  }

  /** Gives back a timer from {@link #acquire()}; the last release stops it. */
  public static void release(Timer released) {
    HashedWheelTimer toStop = null;
    synchronized (LOCK) {
      if (released != timer || references == 0) {
        return;
      }
      if (--references == 0) {
        toStop = timer;
        timer = null;
      }
    }
    if (toStop != null) {
      toStop.stop();
    }
  }
}
