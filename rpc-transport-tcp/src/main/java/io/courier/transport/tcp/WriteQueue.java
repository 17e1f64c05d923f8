package io.courier.transport.tcp;

import io.courier.transport.ByteBudget;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCountUtil;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches writes from many threads into one flush per event-loop turn: each {@link #enqueue} adds to a
 * lock-free queue and schedules at most one drain task, which writes everything queued and flushes once.
 * Under load many frames share a flush (one syscall); when idle a frame is flushed at once.
 *
 * <p>On a server, responses are counted against the connection's response budget ({@link #enqueueReserved}): their
 * bytes are reserved when queued and given back as they leave — reconciled after each flush, when the channel becomes
 * writable and when it closes, from what is still queued here and in Netty's outbound buffer — so that a peer that
 * does not read cannot make the server hold more than the budget. No promise per write.
 */
final class WriteQueue {

  private static final int MAX_WRITES_PER_FLUSH = 128;

  private final Channel channel;
  private final ByteBudget budget;
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong queuedReserved = new AtomicLong(); // reserved bytes still in the queue
  private final Runnable drain = this::drain;

  WriteQueue(Channel channel) {
    this(channel, ByteBudget.unlimited());
  }

  /** @param budget the connection's response budget, which reserved writes count against */
  WriteQueue(Channel channel, ByteBudget budget) {
    this.channel = channel;
    this.budget = budget;
  }

  /**
   * Queues {@code frame} if its bytes fit the budget and returns true; else returns false and leaves {@code frame} to
   * the caller.
   */
  boolean enqueueReserved(ByteBuf frame) {
    int size = frame.readableBytes();
    queuedReserved.addAndGet(size); // before the reservation: a reconcile in between then gives back too little
    if (!budget.tryReserve(size)) {
      queuedReserved.addAndGet(-size);
      return false;
    }
    enqueue(new Reserved(frame, size));
    return true;
  }

  /** A queued frame whose bytes are reserved. */
  private record Reserved(ByteBuf frame, int size) {}

  /**
   * Gives back the reserved bytes that have left: all the budget holds beyond what is still queued here or in Netty's
   * outbound buffer. On the event loop; conservative when other frames share the outbound buffer.
   */
  void reconcile() {
    long used = budget.used(); // first: a reservation made after this is also in what is held below
    ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
    long held = queuedReserved.get() + (outbound == null ? 0 : outbound.totalPendingWriteBytes());
    if (used > held) {
      budget.release(used - held);
    }
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
      if (message instanceof Reserved reserved) {
        message = reserved.frame();
        queuedReserved.addAndGet(-reserved.size());
      }
      channel.write(message, channel.voidPromise());
      if (++written == MAX_WRITES_PER_FLUSH) {
        channel.flush();
        written = 0;
      }
    }
    if (written > 0) {
      channel.flush();
    }
    if (budget.used() > 0) {
      reconcile();
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

  /** Releases whatever is still queued, and gives back every reserved byte; for a closed channel. */
  void releaseAll() {
    Object message;
    while ((message = queue.poll()) != null) {
      if (message instanceof Reserved reserved) {
        message = reserved.frame();
        queuedReserved.addAndGet(-reserved.size());
      }
      ReferenceCountUtil.release(message);
    }
    budget.release(budget.used());
  }
}
