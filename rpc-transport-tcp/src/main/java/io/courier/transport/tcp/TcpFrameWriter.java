package io.courier.transport.tcp;

import io.courier.common.Metadata;
import io.courier.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.reflect.Type;

/**
 * Encodes frames into pooled buffers on the calling thread, so serializers write straight into the
 * outbound buffer and the I/O thread only writes bytes. Each method returns a buffer the caller must write or
 * release. The layout is drawn in {@link TcpFrameDecoder}.
 */
final class TcpFrameWriter {

  private static final int INITIAL_CAPACITY = 256;

  private TcpFrameWriter() {}

  /**
   * A REQUEST frame.
   *
   * @throws io.courier.serialization.SerializationException if an argument cannot be encoded; nothing leaks
   */
  static ByteBuf request(ByteBufAllocator alloc, long id, boolean oneWay, Serializer serializer,
      String service, String method, long timeoutMicros, Metadata headers, Object[] args, Type[] types) {
    ByteBuf out = alloc.ioBuffer(INITIAL_CAPACITY);
    try {
      int start = writePrefix(out, TcpProtocol.TYPE_REQUEST, oneWay ? TcpProtocol.FLAG_ONE_WAY : 0,
          serializer.id(), (byte) 0, id);
      int headerStart = out.writerIndex();
      TcpProtocol.writeString(out, service);
      TcpProtocol.writeString(out, method);
      TcpProtocol.writeVarint(out, Math.max(0, timeoutMicros));
      writeMetadata(out, headers);
      int bodyStart = out.writerIndex();
      serializer.writeArguments(out, args, types);
      finish(out, start, headerStart, bodyStart);
      return out;
    } catch (RuntimeException | Error e) {
      out.release();
      throw e;
    }
  }

  /**
   * A successful RESPONSE frame.
   *
   * @throws io.courier.serialization.SerializationException if the value cannot be encoded; nothing leaks
   */
  static ByteBuf response(ByteBufAllocator alloc, long id, Serializer serializer, Metadata trailers, Object value,
      Type type) {
    ByteBuf out = alloc.ioBuffer(INITIAL_CAPACITY);
    try {
      int start = writePrefix(out, TcpProtocol.TYPE_RESPONSE, 0, serializer.id(), (byte) 0, id);
      int headerStart = out.writerIndex();
      TcpProtocol.writeString(out, "");
      writeMetadata(out, trailers);
      int bodyStart = out.writerIndex();
      serializer.write(out, value, type);
      finish(out, start, headerStart, bodyStart);
      return out;
    } catch (RuntimeException | Error e) {
      out.release();
      throw e;
    }
  }

  /** A failed RESPONSE frame: a status code, its description and trailers, no body. */
  static ByteBuf error(ByteBufAllocator alloc, long id, int statusCode, String description, Metadata trailers) {
    ByteBuf out = alloc.ioBuffer(INITIAL_CAPACITY);
    int start = writePrefix(out, TcpProtocol.TYPE_RESPONSE, 0, (byte) 0, (byte) statusCode, id);
    int headerStart = out.writerIndex();
    TcpProtocol.writeString(out, description == null ? "" : description);
    writeMetadata(out, trailers);
    finish(out, start, headerStart, out.writerIndex());
    return out;
  }

  /** A PING, PONG or CANCEL frame: the prefix alone. */
  static ByteBuf control(ByteBufAllocator alloc, byte type, long id) {
    ByteBuf out = alloc.ioBuffer(TcpProtocol.PREFIX_LENGTH);
    int start = writePrefix(out, type, 0, (byte) 0, (byte) 0, id);
    finish(out, start, out.writerIndex(), out.writerIndex());
    return out;
  }

  /** A GOAWAY frame with its reason. */
  static ByteBuf goAway(ByteBufAllocator alloc, String reason) {
    ByteBuf out = alloc.ioBuffer(64);
    int start = writePrefix(out, TcpProtocol.TYPE_GOAWAY, 0, (byte) 0, (byte) 0, 0);
    int headerStart = out.writerIndex();
    TcpProtocol.writeString(out, reason);
    finish(out, start, headerStart, out.writerIndex());
    return out;
  }

  private static int writePrefix(ByteBuf out, byte type, int flags, byte serializerId, byte status, long id) {
    int start = out.writerIndex();
    out.writeShort(TcpProtocol.MAGIC);
    out.writeByte(TcpProtocol.VERSION);
    out.writeByte(type);
    out.writeByte(flags);
    out.writeByte(serializerId);
    out.writeByte(status);
    out.writeByte(0);
    out.writeLong(id);
    out.writeInt(0); // header length, set by finish
    out.writeInt(0); // body length, set by finish
    return start;
  }

  private static void finish(ByteBuf out, int start, int headerStart, int bodyStart) {
    out.setInt(start + 16, bodyStart - headerStart);
    out.setInt(start + 20, out.writerIndex() - bodyStart);
  }

  private static void writeMetadata(ByteBuf out, Metadata metadata) {
    TcpProtocol.writeVarint(out, metadata.size());
    for (int i = 0; i < metadata.size(); i++) {
      TcpProtocol.writeString(out, metadata.name(i));
      TcpProtocol.writeBytes(out, metadata.valueBytes(i));
    }
  }

  /** The header plus body length of an encoded frame, to check against the peer's limit before sending. */
  static long payloadLength(ByteBuf frame) {
    int start = frame.readerIndex();
    return frame.getUnsignedInt(start + 16) + frame.getUnsignedInt(start + 20);
  }
}
