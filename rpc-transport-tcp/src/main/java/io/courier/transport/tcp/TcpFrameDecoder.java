package io.courier.transport.tcp;

import io.courier.common.Metadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
 */
final class TcpFrameDecoder extends ByteToMessageDecoder {

  private final int maxFrameSize;
  private final int maxHeaderSize;
  private final int maxMetadataEntries;
  /** The service and method names this connection has sent recently: decoded once, not once per request. */
  private final NameCache names = new NameCache();
  /** Set on the first bad frame: the stream cannot be resynchronised, so everything after it is discarded. */
  private boolean failed;

  TcpFrameDecoder(int maxFrameSize, int maxHeaderSize, int maxMetadataEntries) {
    this.maxFrameSize = maxFrameSize;
    this.maxHeaderSize = maxHeaderSize;
    this.maxMetadataEntries = maxMetadataEntries;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      decodeFrame(in, out);
    } catch (CorruptedFrameException | TooLongFrameException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  private void decodeFrame(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 2) {
      return;
    }
    int start = in.readerIndex();
    int magic = in.getUnsignedShort(start);
    if (magic != TcpProtocol.MAGIC) {
      throw new CorruptedFrameException(String.format("bad magic 0x%04X (expected 0x%04X: not a Courier TCP peer)",
          magic, TcpProtocol.MAGIC));
    }
    if (in.readableBytes() < TcpProtocol.PREFIX_LENGTH) {
      return;
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
    if (in.readableBytes() < TcpProtocol.PREFIX_LENGTH + headerLength + bodyLength) {
      return;
    }
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
    ByteBuf body = bodyLength == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice((int) bodyLength);
    out.add(new TcpFrame(type, flags, serializerId, status, id, service, method, timeoutMicros, metadata,
        message, body));
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
