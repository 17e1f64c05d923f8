package io.courier.transport.tcp;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Batches writes from many threads into one flush per event-loop turn: each {@link #enqueue} adds to a
 * lock-free queue and schedules at most one drain task, which writes everything queued and flushes once.
 * Under load many frames share a flush (one syscall); when idle a frame is flushed at once.
 */
final class WriteQueue {

  private static final int MAX_WRITES_PER_FLUSH = 128;

  private final Channel channel;
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;

  WriteQueue(Channel channel) {
    this.channel = channel;
  }

  /** Queues {@code message} (a buffer) for writing; released if the channel is already closed. */
  void enqueue(Object message) {
    queue.add(message);
    if (scheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drain);
      } catch (RuntimeException rejected) { // event loop shut down
        scheduled.set(false);
        releaseAll();
      }
    }
  }

  private void drain() {
    try {
      writeQueued();
    } finally {
      scheduled.set(false);
      if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
        channel.eventLoop().execute(drain);
      }
    }
  }

  /** Writes and flushes everything queued so far; on the event loop. */
  private void writeQueued() {
    int written = 0;
    Object message;
    while ((message = queue.poll()) != null) {
      channel.write(message, channel.voidPromise());
      if (++written == MAX_WRITES_PER_FLUSH) {
        channel.flush();
        written = 0;
      }
    }
    if (written > 0) {
      channel.flush();
    }
  }

  /**
   * Closes the channel after writing what is queued, so a response queued just before a graceful close is not
   * lost to it.
   */
  void closeAfterQueuedWrites() {
    try {
      channel.eventLoop().execute(() -> {
        writeQueued();
        channel.close();
      });
    } catch (RuntimeException rejected) { // event loop shut down
      channel.close();
    }
  }

  /** Releases whatever is still queued; for a closed channel. */
  void releaseAll() {
    Object message;
    while ((message = queue.poll()) != null) {
      ReferenceCountUtil.release(message);
    }
  }
}
