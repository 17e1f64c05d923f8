package io.courier.transport.rest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A request or response body that arrives in pieces (HTTP/1.1 chunks, h2 DATA frames), kept in one buffer: the first
 * piece as it is, later ones copied into a buffer of this body's own that doubles as it fills. Not a
 * {@code CompositeByteBuf}: past its component limit a composite copies everything into one new buffer, again and
 * again — a 1 MiB body in 16 KiB h2 frames spent 12 % of a side's CPU there — and without a limit, a peer sending
 * one-byte frames would make it hold millions of components. Copying each byte once is the cheaper bound. Not
 * thread-safe; the size limit is the caller's.
 */
final class Body {

  private static final int MIN_CAPACITY = 8 * 1024;

  private final ByteBufAllocator alloc;
  private ByteBuf buffer; // null when empty
  private boolean owned; // buffer is this body's own, writable one (not a piece as received)

  Body(ByteBufAllocator alloc) {
    this.alloc = alloc;
  }

  /** Appends {@code piece}, taking ownership of it. */
  void append(ByteBuf piece) {
    if (buffer == null) {
      buffer = piece;
      return;
    }
    try {
      if (!piece.isReadable()) {
        return;
      }
      if (!owned) {
        ByteBuf own = alloc.buffer(Math.max(MIN_CAPACITY, 2 * (buffer.readableBytes() + piece.readableBytes())));
        own.writeBytes(buffer);
        buffer.release();
        buffer = own;
        owned = true;
      }
      buffer.writeBytes(piece);
    } finally {
      piece.release();
    }
  }

  /** The body so far, handed over (the caller releases it); {@code null} if nothing arrived. Empties this body. */
  ByteBuf take() {
    ByteBuf b = buffer;
    buffer = null;
    owned = false;
    return b;
  }

  /** Releases what arrived. */
  void release() {
    ByteBuf b = take();
    if (b != null) {
      b.release();
    }
  }
}
