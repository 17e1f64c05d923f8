package io.courier.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A cap on bytes held in memory, reserved before they are buffered and released when they are gone: a server's
 * request bytes (received, not yet decoded) or response bytes (encoded, not yet on the wire), in all and per
 * connection. A connection's budget is a {@linkplain #child child} of the server's: a reservation must fit both. A
 * transport that cannot reserve refuses the call ({@code RESOURCE_EXHAUSTED}) instead of buffering, so that no peer —
 * a slow reader, a client that opens many large requests and never finishes them — can drive the server out of
 * memory, and one connection cannot take the whole server's budget.
 *
 * <pre>{@code
 * if (!connection.requestBytes().tryReserve(bodyLength)) {
 *   refuse(Status.RESOURCE_EXHAUSTED.withDescription("... " + connection.requestBytes()));
 * }
 * ...
 * connection.requestBytes().release(bodyLength);   // once the body is decoded or dropped
 * }</pre>
 *
 * <p>Thread-safe and lock-free. Invariant: {@code 0 <= used <= limit}, given that every release matches a
 * reservation.
 */
public final class ByteBudget {

  private static final ByteBudget UNLIMITED = new ByteBudget("unlimited", Long.MAX_VALUE, null);

  private final String name;
  private final long limit;
  private final ByteBudget parent;
  private final AtomicLong used = new AtomicLong();

  private ByteBudget(String name, long limit, ByteBudget parent) {
    if (limit < 0) {
      throw new IllegalArgumentException(name + ": " + limit + " (expected: >= 0)");
    }
    this.name = name;
    this.limit = limit;
    this.parent = parent;
  }

  /** A budget of {@code limit} bytes; {@code name} says in messages which it is, and where it is set. */
  public static ByteBudget of(String name, long limit) {
    return new ByteBudget(name, limit, null);
  }

  /** A budget that admits everything and keeps no count (clients, tests). */
  public static ByteBudget unlimited() {
    return UNLIMITED;
  }

  /** A budget of {@code limit} bytes within this one: what it reserves counts here too. */
  public ByteBudget child(String childName, long childLimit) {
    return this == UNLIMITED && childLimit == Long.MAX_VALUE ? UNLIMITED
        : new ByteBudget(childName, childLimit, this == UNLIMITED ? null : this);
  }

  /** Reserves {@code bytes} if they fit (here and in every parent); returns whether they did. */
  public boolean tryReserve(long bytes) {
    if (bytes <= 0 || this == UNLIMITED) {
      return true;
    }
    for (;;) {
      long current = used.get();
      long next = current + bytes;
      if (next > limit || next < 0) {
        return false;
      }
      if (used.compareAndSet(current, next)) {
        break;
      }
    }
    if (parent != null && !parent.tryReserve(bytes)) {
      used.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  /** Gives back {@code bytes} reserved earlier. */
  public void release(long bytes) {
    if (bytes <= 0 || this == UNLIMITED) {
      return;
    }
    used.addAndGet(-bytes);
    if (parent != null) {
      parent.release(bytes);
    }
  }

  /** Bytes reserved now. */
  public long used() {
    return used.get();
  }

  public long limit() {
    return limit;
  }

  /**
   * The budget that ran out, for a message after {@link #tryReserve} refused {@code bytes}: this one or the first
   * parent that is full for them. Reservations elsewhere may have been released since the refusal, so if none is full
   * any more, the fullest (by share of its limit) is named: a connection at 98 % of its limit, not its server at 24 %.
   */
  public ByteBudget exhausted(long bytes) {
    ByteBudget fullest = this;
    for (ByteBudget b = this; b != null; b = b.parent) {
      if (b.used.get() + bytes > b.limit) {
        return b;
      }
      if (b.share() > fullest.share()) {
        fullest = b;
      }
    }
    return fullest;
  }

  private double share() {
    return limit == 0 ? 1 : (double) used.get() / limit;
  }

  @Override
  public String toString() {
    return this == UNLIMITED ? "unlimited" : name + " (" + used.get() + " of " + limit + " bytes in use)";
  }
}
