package io.courier.transport.http2;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes a stream has handed to the I/O thread that have not yet reached the socket, for
 * {@code isReady()}: a stream is ready while fewer than {@value #READY_THRESHOLD} bytes wait (behind HTTP/2
 * flow control or a full socket), and {@code onReady} runs when the count falls back under the threshold.
 * Counting on the caller's thread, not the I/O thread's view, keeps a tight {@code while (isReady())} loop from
 * queueing without bound. Thread-safe.
 */
final class OutboundFlow {

  static final int READY_THRESHOLD = 32 * 1024;

  private final AtomicLong pending = new AtomicLong();
  private final Runnable onReady;

  OutboundFlow(Runnable onReady) {
    this.onReady = onReady;
  }

  boolean isReady() {
    return pending.get() < READY_THRESHOLD;
  }

  void queued(int bytes) {
    pending.addAndGet(bytes);
  }

  /** {@code bytes} reached the socket (or were dropped with the stream). */
  void written(int bytes) {
    long after = pending.addAndGet(-bytes);
    if (after < READY_THRESHOLD && after + bytes >= READY_THRESHOLD) {
      onReady.run();
    }
  }
}
