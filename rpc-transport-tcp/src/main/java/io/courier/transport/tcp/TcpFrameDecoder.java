package io.courier.transport.tcp;

import io.courier.common.Metadata;
import io.courier.transport.ByteBudget;
import io.courier.transport.netty.ReadDeadline;
import io.courier.transport.netty.RefusalLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes Courier TCP frames, version 1. Every frame starts with a fixed 24-byte prefix:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+---------------+---------------+
 * |         magic 0xC0DE          |  version = 1  |     type      |
 * +---------------+---------------+---------------+---------------+
 * |     flags     | serializer id |    status     |  reserved = 0 |
 * +---------------+---------------+---------------+---------------+
 * |                                                               |
 * +                   request id (64, big-endian)                 +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                    header length (32, unsigned)               |
 * +---------------------------------------------------------------+
 * |                     body length (32, unsigned)                |
 * +---------------------------------------------------------------+
 * |            header section (header length bytes) ...           |
 * +---------------------------------------------------------------+
 * |            body, encoded by the serializer ...                |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Types: 1 REQUEST, 2 RESPONSE, 3 PING, 4 PONG, 5 CANCEL, 6 GOAWAY. Flags: bit 0 ONE_WAY (requests).
 * The header section of a REQUEST is {@code service, method, timeout-micros, metadata}; of a RESPONSE
 * {@code message, metadata}; of a GOAWAY {@code message}; strings are varint-length-prefixed UTF-8,
 * {@code metadata} is a varint count of varint-length-prefixed key and value pairs.
 *
 * <p>Limits are checked on the prefix, before the rest of the frame is buffered: a header section over
 * {@code maxHeaderSize} or a frame (header plus body) over {@code maxFrameSize} raises
 * {@link TooLongFrameException}. A wrong magic, an unknown version or type, or a malformed header section
 * raises {@link CorruptedFrameException}. The channel handler closes the connection on either. Not
 * {@code @Sharable}: it keeps per-connection state.
 *
 * <p>On a server, a frame other than REQUEST, PING, PONG or CANCEL, and a control frame that carries any bytes, is
 * refused on its prefix. A REQUEST is decided on its header section alone, before its body is buffered: the
 * {@link RequestGate} admits it (the frame is then delivered once its body has arrived) or refuses it (the frame is
 * delivered at once, without a body, and the body's bytes are skipped as they arrive — never kept). While a header
 * section is incomplete its bytes are reserved from the connection's request budget.
 *
 * <p>On both sides, a frame that has begun must be complete within the read timeout, however slowly its bytes trickle
 * in; otherwise the connection is closed.
 */
final class TcpFrameDecoder extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(TcpFrameDecoder.class);
  private static final RefusalLog SLOW_FRAMES = new RefusalLog(log);

  /** Decides on a REQUEST from its header section, before the body is buffered. On the event loop. */
  interface RequestGate {
    /**
     * Sets the frame's {@link TcpFrame#head head} (admitted: its body of {@code bodyLength} bytes is buffered and the
     * frame delivered once complete) or its {@link TcpFrame#refusal refusal} (delivered at once, body skipped).
     */
    void decide(TcpFrame frame, long bodyLength);

    /** The budget that bytes of an incomplete header section are reserved from. */
    ByteBudget pendingBytes();
  }

  private final int maxFrameSize;
  private final int maxHeaderSize;
  private final int maxMetadataEntries;
  private final long readTimeoutNanos;
  private final RequestGate gate; // null on clients: every frame is delivered whole
  /** The service and method names this connection has sent recently: decoded once, not once per request. */
  private final NameCache names = new NameCache();
  /** Set on the first bad frame: the stream cannot be resynchronised, so everything after it is discarded. */
  private boolean failed;
  /** Bytes of a refused request's body still to skip. */
  private long discarding;
  /** An admitted request waiting for its body of {@link #pendingBodyLength} bytes. */
  private TcpFrame pending;
  private int pendingBodyLength;
  /** Bytes of the incomplete header section reserved from the gate's budget. */
  private long reservedHeader;
  private ReadDeadline deadline;
  private boolean incomplete; // a frame has begun and is not whole
  private boolean paused; // this side stopped reading

  /** A decoder of whole frames with no read deadline and no gate. */
  TcpFrameDecoder(int maxFrameSize, int maxHeaderSize, int maxMetadataEntries) {
    this(maxFrameSize, maxHeaderSize, maxMetadataEntries, 0, null);
  }

  /**
   * @param readTimeoutMillis how long a frame that has begun may take to arrive whole; 0 for no limit
   * @param gate decides on requests before their body is buffered; {@code null} delivers every frame whole
   */
  TcpFrameDecoder(int maxFrameSize, int maxHeaderSize, int maxMetadataEntries, long readTimeoutMillis,
      RequestGate gate) {
    this.maxFrameSize = maxFrameSize;
    this.maxHeaderSize = maxHeaderSize;
    this.maxMetadataEntries = maxMetadataEntries;
    this.readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(readTimeoutMillis);
    this.gate = gate;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      if (discarding > 0) {
        int skip = (int) Math.min(discarding, in.readableBytes());
        in.skipBytes(skip);
        discarding -= skip;
        if (discarding > 0) {
          await(ctx);
          return;
        }
        frameDone();
        if (!in.isReadable()) {
          return;
        }
      }
      if (pending != null) {
        if (in.readableBytes() < pendingBodyLength) {
          await(ctx);
          return;
        }
        TcpFrame frame = pending;
        pending = null;
        out.add(frame.withBody(pendingBodyLength == 0 ? Unpooled.EMPTY_BUFFER
            : in.readRetainedSlice(pendingBodyLength)));
        frameDone();
        return;
      }
      if (!decodeFrame(in, out)) {
        await(ctx);
      }
    } catch (CorruptedFrameException | TooLongFrameException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      releasePending();
      throw e;
    }
  }

  /** Decodes what it can; returns whether no frame is left incomplete. */
  private boolean decodeFrame(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 2) {
      return !in.isReadable();
    }
    int start = in.readerIndex();
    int magic = in.getUnsignedShort(start);
    if (magic != TcpProtocol.MAGIC) {
      throw new CorruptedFrameException(String.format("bad magic 0x%04X (expected 0x%04X: not a Courier TCP peer)",
          magic, TcpProtocol.MAGIC));
    }
    if (in.readableBytes() < TcpProtocol.PREFIX_LENGTH) {
      return false;
    }
    byte version = in.getByte(start + 2);
    if (version != TcpProtocol.VERSION) {
      throw new CorruptedFrameException("unsupported protocol version " + version + " (this peer speaks "
          + TcpProtocol.VERSION + ")");
    }
    byte type = in.getByte(start + 3);
    if (type < TcpProtocol.TYPE_REQUEST || type > TcpProtocol.TYPE_GOAWAY) {
      throw new CorruptedFrameException("unknown frame type " + type);
    }
    long headerLength = in.getUnsignedInt(start + 16);
    long bodyLength = in.getUnsignedInt(start + 20);
    if (headerLength > maxHeaderSize) {
      throw new TooLongFrameException("header section of " + headerLength + " bytes exceeds the limit of "
          + maxHeaderSize);
    }
    if (headerLength + bodyLength > maxFrameSize) {
      throw new TooLongFrameException("frame of " + (headerLength + bodyLength) + " bytes exceeds the limit of "
          + maxFrameSize);
    }
    if (gate != null && type != TcpProtocol.TYPE_REQUEST) {
      // a client sends only requests and bodiless control frames: nothing else is buffered, admitted or not
      if (type != TcpProtocol.TYPE_PING && type != TcpProtocol.TYPE_PONG && type != TcpProtocol.TYPE_CANCEL) {
        throw new CorruptedFrameException("unexpected " + TcpProtocol.typeName(type) + " frame from a client");
      }
      if (headerLength != 0 || bodyLength != 0) {
        throw new CorruptedFrameException(TcpProtocol.typeName(type) + " frame carrying " + (headerLength + bodyLength)
            + " bytes (expected: none)");
      }
    }
    boolean gated = gate != null && type == TcpProtocol.TYPE_REQUEST;
    long needed = TcpProtocol.PREFIX_LENGTH + headerLength + (gated ? 0 : bodyLength);
    if (in.readableBytes() < needed) {
      if (gated) {
        reserveHeader(headerLength);
      }
      return false;
    }
    releaseHeader();
    byte flags = in.getByte(start + 4);
    byte serializerId = in.getByte(start + 5);
    byte status = in.getByte(start + 6);
    long id = in.getLong(start + 8);
    in.skipBytes(TcpProtocol.PREFIX_LENGTH);
    ByteBuf header = in.readSlice((int) headerLength);
    String service = null;
    String method = null;
    long timeoutMicros = 0;
    Metadata metadata = Metadata.EMPTY;
    String message = null;
    switch (type) {
      case TcpProtocol.TYPE_REQUEST -> {
        service = names.read(header);
        method = names.read(header);
        timeoutMicros = TcpProtocol.readVarint(header, 63);
        metadata = readMetadata(header);
      }
      case TcpProtocol.TYPE_RESPONSE -> {
        message = TcpProtocol.readString(header);
        metadata = readMetadata(header);
      }
      case TcpProtocol.TYPE_GOAWAY -> message = TcpProtocol.readString(header);
      default -> { }
    }
    if (header.isReadable()) {
      throw new CorruptedFrameException(header.readableBytes() + " unexpected bytes at the end of the "
          + TcpProtocol.typeName(type) + " header section");
    }
    if (!gated) {
      ByteBuf body = bodyLength == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice((int) bodyLength);
      out.add(new TcpFrame(type, flags, serializerId, status, id, service, method, timeoutMicros, metadata,
          message, body));
      frameDone();
      return true;
    }
    TcpFrame head = new TcpFrame(type, flags, serializerId, status, id, service, method, timeoutMicros, metadata,
        null, Unpooled.EMPTY_BUFFER);
    gate.decide(head, bodyLength);
    if (head.refusal != null) { // delivered now, its body skipped as it arrives, never kept
      out.add(head);
      int skip = (int) Math.min(bodyLength, in.readableBytes());
      in.skipBytes(skip);
      discarding = bodyLength - skip;
      if (discarding > 0) {
        return false;
      }
      frameDone();
      return true;
    }
    if (in.readableBytes() >= bodyLength) {
      out.add(head.withBody(bodyLength == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice((int) bodyLength)));
      frameDone();
      return true;
    }
    pending = head;
    pendingBodyLength = (int) bodyLength;
    return false;
  }

  // ---- the read deadline: a frame that has begun is complete within readTimeoutNanos ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    deadline = new ReadDeadline(ctx, readTimeoutNanos, () -> {
      String reason = "a frame did not arrive whole within " + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos)
          + " ms (TcpOptions.READ_TIMEOUT)";
      if (gate == null) { // a client: the server's answer; its calls in flight fail as the connection closes
        log.warn("closing the connection to {}: {}", ctx.channel().remoteAddress(), reason);
      } else {
        SLOW_FRAMES.refused(ctx.channel(), reason);
      }
      failed = true;
      releasePending();
      ctx.close();
    });
    super.handlerAdded(ctx);
  }

  /** A frame is incomplete: its clock runs from its first byte (while this side reads). */
  private void await(ChannelHandlerContext ctx) {
    incomplete = true;
    if (!paused) {
      deadline.arm();
    }
  }

  private void frameDone() {
    incomplete = false;
    deadline.disarm();
  }

  /**
   * The server stops reading (its peer does not read the answers) or starts again: the clock of an incomplete frame
   * stops meanwhile — the wait is this side's — and starts afresh when reading resumes.
   */
  void readingPaused(boolean pause) {
    paused = pause;
    if (pause) {
      deadline.disarm();
    } else if (incomplete) {
      deadline.arm();
    }
  }

  // ---- pending bytes of an incomplete header section ----

  private void reserveHeader(long headerLength) {
    if (reservedHeader > 0 || headerLength == 0) {
      return;
    }
    ByteBudget budget = gate.pendingBytes();
    if (!budget.tryReserve(headerLength)) {
      throw new TooLongFrameException("a header section of " + headerLength + " bytes does not fit "
          + budget.exhausted(headerLength));
    }
    reservedHeader = headerLength;
  }

  private void releaseHeader() {
    if (reservedHeader > 0) {
      gate.pendingBytes().release(reservedHeader);
      reservedHeader = 0;
    }
  }

  /** Gives back what an incomplete frame holds: its header reservation, an admitted request waiting for its body. */
  private void releasePending() {
    releaseHeader();
    TcpFrame frame = pending;
    pending = null;
    if (frame != null) {
      gate.pendingBytes().release(frame.reserved);
      frame.release();
    }
    if (deadline != null) {
      deadline.cancel();
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    releasePending();
  }

  private Metadata readMetadata(ByteBuf header) {
    long count = TcpProtocol.readVarint(header, 31);
    if (count > maxMetadataEntries) {
      throw new TooLongFrameException(count + " metadata entries exceed the limit of " + maxMetadataEntries);
    }
    if (count == 0) {
      return Metadata.EMPTY;
    }
    Metadata.Builder builder = Metadata.builder();
    for (int i = 0; i < count; i++) {
      String key = TcpProtocol.readString(header);
      byte[] value = TcpProtocol.readBytes(header);
      try {
        builder.addRaw(key, value);
      } catch (IllegalArgumentException e) {
        throw new CorruptedFrameException("bad metadata entry: " + e.getMessage());
      }
    }
    return builder.build();
  }

  /**
   * The last few names read, by their UTF-8 bytes: a request names one of a few services and methods, so reading a
   * name is usually a comparison of bytes that returns the same {@code String} as last time (no decoding, no
   * allocation, and a hash code already computed for the dispatcher's lookup). Only short names are kept.
   */
  static final class NameCache {
    private static final int SIZE = 16;
    private static final int MAX_CACHED_LENGTH = 256;
    private final ByteBuf[] keys = new ByteBuf[SIZE];
    private final String[] values = new String[SIZE];
    private int next;

    String read(ByteBuf in) {
      int length = TcpProtocol.readLength(in);
      int index = in.readerIndex();
      for (int i = 0; i < SIZE; i++) {
        ByteBuf key = keys[i];
        if (key == null) {
          break;
        }
        if (key.readableBytes() == length && ByteBufUtil.equals(key, 0, in, index, length)) {
          in.skipBytes(length);
          return values[i];
        }
      }
      String s = in.toString(index, length, StandardCharsets.UTF_8);
      if (length <= MAX_CACHED_LENGTH) {
        keys[next] = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(in, index, length));
        values[next] = s;
        next = (next + 1) % SIZE;
      }
      in.skipBytes(length);
      return s;
    }
  }
}
