package io.courier.transport.http2;

import io.courier.common.Status;
import io.courier.transport.ByteBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.CompositeByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.zip.GZIPInputStream;

/**
 * Cuts one stream's DATA bytes into gRPC messages. Each message is a 5-byte prefix — a compressed flag (0 or
 * 1) and a 32-bit big-endian length — and that many bytes:
 *
 * <pre>
 * +------------+---------------------------+-----------------------------+
 * | flag (1 B) |   length (4 B, unsigned)  |  message (length bytes) ... |
 * +------------+---------------------------+-----------------------------+
 * </pre>
 *
 * <p>Pull-based: a message is only started when one was {@link #request requested}; unread bytes stay queued
 * and their HTTP/2 flow-control credit is only returned ({@link Listener#bytesConsumed}) as they are read, so a
 * slow reader stops the sender once the window is used up. A message in progress is always completed, so
 * messages larger than the window keep moving. The length is checked against the limit on the prefix, before
 * anything is buffered; a decompressed message is checked as it inflates.
 *
 * <p>Each message's length is reserved from a {@link ByteBudget} (a server connection's request bytes) on its prefix,
 * before it is buffered. A message that does not fit waits if the listener lets it ({@link Listener#awaitBudget}):
 * nothing more of the stream is consumed, so its flow-control window stops the sender, until {@link #retryBudget()}
 * finds room; the bytes queued meanwhile are reported ({@link Listener#heldForBudget}) so that the connection can keep
 * them from starving other streams of connection window. Otherwise it fails with {@code RESOURCE_EXHAUSTED}. The
 * reservation is given back once the listener is done with the message, or taken over by it
 * ({@link #takeReservation()}) when it keeps the message longer.
 *
 * <p>Not thread-safe: used on the stream's event loop only. Invariant: {@link #queued} holds retained buffers
 * that {@link #close()} releases; {@link #reserved} bytes of the budget belong to the message in progress.
 */
final class MessageDeframer {

  /** Where messages and failures go; all calls on the event loop. */
  interface Listener {
    /** A whole message; the listener owns (and releases) {@code message}. */
    void messageRead(ByteBuf message, boolean wasCompressed);

    /** Flow-control credit for bytes read from the queue. */
    void bytesConsumed(int bytes);

    /** The peer ended the stream and every message was delivered. */
    void endOfStream();

    /** Malformed or oversized input; nothing more is delivered. */
    void deframeFailed(Status status);

    /**
     * The budget cannot hold the next message ({@code bytes}) now. Returns {@code true} if the listener will call
     * {@link #retryBudget()} until it fits (the deframer waits, consuming nothing more), {@code false} to refuse the
     * message with {@code RESOURCE_EXHAUSTED}.
     */
    default boolean awaitBudget(long bytes) {
      return false;
    }

    /**
     * Bytes queued while waiting for budget, unconsumed: {@code +n} as they arrive, minus their sum once the wait ends
     * (the message fits, or the deframer closes).
     */
    default void heldForBudget(int delta) {}

    /** A message's prefix was accepted and its bytes reserved: it is arriving until {@link #messageRead}. */
    default void messageBegun() {}
  }

  private static final int PREFIX = 5;
  /**
   * The largest buffer Netty's allocator pools (4.2's adaptive allocator: 1 MiB, or 256 KiB in a JVM with under
   * 512 MiB of memory). A longer message is read into pieces of at most this size, pooled, not into one buffer that
   * would be a fresh, zeroed allocation for every message. A serializer that needs one contiguous buffer (kryo's
   * {@code nioBuffer}) copies such a message once more; protobuf, hessian and JSON read the pieces as they are.
   */
  static final int MAX_PIECE = 1 << 20;

  private final Listener listener;
  private final ByteBufAllocator alloc;
  private final int maxMessageSize;
  private final ByteBudget budget;
  private long reserved; // of the message in progress, or of the one being delivered
  private boolean reservationTaken;
  private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
  private int queuedBytes; // readable bytes in queued
  private boolean gzip; // the stream's grpc-encoding
  private int demand;
  private boolean inMessage;
  private boolean compressed;
  private ByteBuf message; // being filled while inMessage
  private boolean endOfStream;
  private boolean closed;
  private boolean delivering;
  private boolean waitingForBudget;
  private int held; // bytes reported to heldForBudget while waiting

  MessageDeframer(Listener listener, ByteBufAllocator alloc, int maxMessageSize) {
    this(listener, alloc, maxMessageSize, ByteBudget.unlimited());
  }

  MessageDeframer(Listener listener, ByteBufAllocator alloc, int maxMessageSize, ByteBudget budget) {
    this.listener = listener;
    this.alloc = alloc;
    this.maxMessageSize = maxMessageSize;
    this.budget = budget;
  }

  /**
   * From inside {@link Listener#messageRead}: the listener keeps the message beyond the callback and gives back the
   * returned number of budget bytes itself when it releases it.
   */
  long takeReservation() {
    reservationTaken = true;
    return reserved;
  }

  /** The stream's {@code grpc-encoding} is gzip; compressed messages are inflated. */
  void gzip(boolean enabled) {
    this.gzip = enabled;
  }

  /** Queues DATA bytes (taking ownership) and delivers what is requested. */
  void deframe(ByteBuf data, boolean end) {
    if (closed) {
      data.release();
      return;
    }
    if (data.isReadable()) {
      queued.add(data);
      queuedBytes += data.readableBytes();
      if (waitingForBudget) {
        hold(data.readableBytes());
      }
    } else {
      data.release();
    }
    endOfStream |= end;
    deliver();
  }

  /** Asks for {@code count} more messages. */
  void request(int count) {
    if (closed) {
      return;
    }
    demand = (int) Math.min(Integer.MAX_VALUE, (long) demand + count);
    deliver();
  }

  /**
   * Tries again to reserve the message a wait is for, and delivers it if it fits. Returns whether the deframer still
   * waits (false once it is closed).
   */
  boolean retryBudget() {
    if (waitingForBudget && !closed) {
      deliver();
    }
    return waitingForBudget && !closed;
  }

  boolean isWaitingForBudget() {
    return waitingForBudget;
  }

  /** Releases everything queued; nothing more is delivered. Idempotent. */
  void close() {
    closed = true;
    endWait();
    if (!reservationTaken) {
      budget.release(reserved);
    }
    reserved = 0;
    ByteBuf b;
    while ((b = queued.poll()) != null) {
      b.release();
    }
    queuedBytes = 0;
    if (message != null) {
      message.release();
      message = null;
    }
  }

  boolean isClosed() {
    return closed;
  }

  private void deliver() {
    if (delivering) {
      return; // a listener callback asked for more; the running loop will see it
    }
    delivering = true;
    try {
      while (!closed) {
        if (!inMessage) {
          if (demand == 0 || readable() < PREFIX) {
            break;
          }
          if (!readPrefix()) {
            return;
          }
        }
        fillMessage();
        if (message.isWritable()) {
          break; // wait for more DATA
        }
        ByteBuf whole = message;
        message = null;
        inMessage = false;
        demand--;
        boolean wasCompressed = compressed;
        if (wasCompressed) {
          whole = inflate(whole);
          if (whole == null) {
            return;
          }
          int inflated = whole.readableBytes();
          long grown = inflated - reserved; // the inflated message is what is held from now on
          if (grown > 0) {
            if (!budget.tryReserve(grown)) {
              whole.release();
              fail(Status.RESOURCE_EXHAUSTED.withDescription("the server cannot hold a decompressed message of "
                  + inflated + " bytes now: " + budget.exhausted(grown) + "; retry later"));
              return;
            }
            reserved += grown;
          }
        }
        reservationTaken = false;
        try {
          listener.messageRead(whole, wasCompressed);
        } finally {
          if (!reservationTaken) {
            budget.release(reserved);
          }
          reserved = 0;
        }
      }
      if (!closed && endOfStream && queued.isEmpty()) {
        if (inMessage) {
          fail(Status.INTERNAL.withDescription("the stream ended in the middle of a message ("
              + message.writerIndex() + " of " + message.capacity() + " bytes arrived)"));
        } else if (readable() == 0) {
          closed = true;
          listener.endOfStream();
        }
      } else if (!closed && endOfStream && !inMessage && readable() > 0 && readable() < PREFIX) {
        fail(Status.INTERNAL.withDescription("the stream ended in the middle of a message prefix"));
      }
    } finally {
      delivering = false;
    }
  }

  private boolean readPrefix() {
    ByteBuf prefix = alloc.heapBuffer(PREFIX, PREFIX);
    try {
      peek(prefix, PREFIX);
      int flag = prefix.readUnsignedByte();
      long length = prefix.readUnsignedInt();
      if ((flag & 0xFE) != 0) {
        fail(Status.INTERNAL.withDescription("malformed message prefix: flags 0x" + Integer.toHexString(flag)
            + " (expected: 0 or 1)"));
        return false;
      }
      if (length > maxMessageSize) {
        fail(Status.RESOURCE_EXHAUSTED.withDescription("message of " + length + " bytes is over the limit of "
            + maxMessageSize + " (Http2Options.MAX_INBOUND_MESSAGE_SIZE)"));
        return false;
      }
      if (flag == 1 && !gzip) {
        fail(Status.INTERNAL.withDescription("a compressed message arrived on a stream without grpc-encoding"));
        return false;
      }
      if (!budget.tryReserve(length)) {
        if (!waitingForBudget) {
          if (listener.awaitBudget(length)) {
            waitingForBudget = true;
            hold(queuedBytes);
          } else {
            fail(Status.RESOURCE_EXHAUSTED.withDescription("the server cannot hold a message of " + length
                + " bytes now: " + budget.exhausted(length) + "; retry later"));
          }
        }
        return false;
      }
      endWait();
      skip(PREFIX);
      reserved = length;
      reservationTaken = false;
      compressed = flag == 1;
      inMessage = true;
      message = messageBuffer((int) length);
      listener.messageBegun();
      return true;
    } finally {
      prefix.release();
    }
  }

  /** Room for exactly {@code length} bytes: one buffer, or pooled pieces of {@link #MAX_PIECE} when longer. */
  private ByteBuf messageBuffer(int length) {
    if (length <= MAX_PIECE) {
      return alloc.buffer(length, length);
    }
    CompositeByteBuf pieces = alloc.compositeBuffer((length + MAX_PIECE - 1) / MAX_PIECE);
    try {
      for (int left = length; left > 0; left -= MAX_PIECE) {
        int n = Math.min(left, MAX_PIECE);
        ByteBuf piece = alloc.buffer(n, n);
        piece.writerIndex(n); // the piece's room counts in the composite's capacity; the writes fill it in order
        pieces.addComponent(true, piece);
      }
      return pieces.setIndex(0, 0);
    } catch (RuntimeException | Error e) {
      pieces.release();
      throw e;
    }
  }

  private void fillMessage() {
    while (message.isWritable() && !queued.isEmpty()) {
      ByteBuf head = queued.peek();
      int n = Math.min(head.readableBytes(), message.writableBytes());
      message.writeBytes(head, n);
      queuedBytes -= n;
      listener.bytesConsumed(n);
      if (!head.isReadable()) {
        queued.poll().release();
      }
    }
  }

  /** Copies the first {@code count} queued bytes into {@code into}, leaving them queued. */
  private void peek(ByteBuf into, int count) {
    int left = count;
    for (ByteBuf b : queued) {
      int n = Math.min(b.readableBytes(), left);
      into.writeBytes(b, b.readerIndex(), n);
      left -= n;
      if (left == 0) {
        return;
      }
    }
  }

  private void skip(int count) {
    int left = count;
    while (left > 0) {
      ByteBuf head = queued.peek();
      int n = Math.min(head.readableBytes(), left);
      head.skipBytes(n);
      queuedBytes -= n;
      left -= n;
      if (!head.isReadable()) {
        queued.poll().release();
      }
    }
    listener.bytesConsumed(count);
  }

  private void hold(int bytes) {
    if (bytes > 0) {
      held += bytes;
      listener.heldForBudget(bytes);
    }
  }

  /** Ends a wait for budget (the message fits, or the deframer closes): its held bytes stop counting. */
  private void endWait() {
    if (waitingForBudget) {
      waitingForBudget = false;
      int h = held;
      held = 0;
      if (h > 0) {
        listener.heldForBudget(-h);
      }
    }
  }

  private int readable() {
    return queuedBytes;
  }

  /** Inflates a gzip message, failing once it grows past the limit; releases {@code compressedBytes}. */
  private ByteBuf inflate(ByteBuf compressedBytes) {
    ByteBuf out = alloc.buffer();
    try (InputStream in = new GZIPInputStream(new ByteBufInputStream(compressedBytes), 8192)) {
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (out.readableBytes() + (long) n > maxMessageSize) {
          out.release();
          fail(Status.RESOURCE_EXHAUSTED.withDescription("decompressed message is over the limit of "
              + maxMessageSize + " bytes (Http2Options.MAX_INBOUND_MESSAGE_SIZE)"));
          return null;
        }
        out.writeBytes(chunk, 0, n);
      }
      return out;
    } catch (IOException e) {
      out.release();
      fail(Status.INTERNAL.withDescription("cannot decompress a gzip message: " + e.getMessage()).withCause(e));
      return null;
    } finally {
      compressedBytes.release();
    }
  }

  private void fail(Status status) {
    close();
    listener.deframeFailed(status);
  }
}
