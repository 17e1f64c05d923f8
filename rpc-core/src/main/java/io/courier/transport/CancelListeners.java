package io.courier.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * The cancel listeners of one call, for a {@link ServerCall#onCancel} and the server's context: each listener runs
 * exactly once if the call is cancelled, at once if it already is, and never if it is not. Listeners run on the
 * thread that cancels (or adds), outside any lock. Thread-safe.
 *
 * <pre>{@code
 * private final CancelListeners cancelListeners = new CancelListeners();
 *
 * public void onCancel(Runnable listener) {
 *   cancelListeners.add(listener);
 * }
 *
 * void peerReset() {
 *   cancelListeners.cancel();
 * }
 * }</pre>
 */
public final class CancelListeners {

  private Runnable first; // guarded by this; most calls have one listener, which needs no list
  private List<Runnable> more; // guarded by this
  private boolean cancelled; // guarded by this

  /** Runs {@code listener} when {@link #cancel} is called; at once if it was already. */
  public void add(Runnable listener) {
    synchronized (this) {
      if (!cancelled) {
        if (first == null) {
          first = listener;
        } else {
          if (more == null) {
            more = new ArrayList<>(2);
          }
          more.add(listener);
        }
        return;
      }
    }
    listener.run();
  }

  /**
   * Marks the call cancelled and runs the listeners added so far, in the order they were added.
   *
   * @return whether this call cancelled it ({@code false} if it already was)
   */
  public boolean cancel() {
    Runnable one;
    List<Runnable> rest;
    synchronized (this) {
      if (cancelled) {
        return false;
      }
      cancelled = true;
      one = first;
      rest = more;
      first = null;
      more = null;
    }
    if (one != null) {
      one.run();
    }
    if (rest != null) {
      rest.forEach(Runnable::run);
    }
    return true;
  }

  /** Whether {@link #cancel} was called. */
  public synchronized boolean isCancelled() {
    return cancelled;
  }
}
