package io.courier.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;

/**
 * Constants and primitive codecs of Courier's TCP framing, version 1. The layout is drawn in
 * {@link TcpFrameDecoder} and in {@code docs/tcp-wire-format.md}.
 */
final class TcpProtocol {

  /** The first two bytes of every frame. 0xC0 is not ASCII, so no HTTP request can start with it. */
  static final int MAGIC = 0xC0DE;
  static final byte VERSION = 1;
  /** magic(2) version(1) type(1) flags(1) serializer(1) status(1) reserved(1) id(8) headerLen(4) bodyLen(4). */
  static final int PREFIX_LENGTH = 24;

  static final byte TYPE_REQUEST = 1;
  static final byte TYPE_RESPONSE = 2;
  static final byte TYPE_PING = 3;
  static final byte TYPE_PONG = 4;
  static final byte TYPE_CANCEL = 5;
  static final byte TYPE_GOAWAY = 6;

  static final byte FLAG_ONE_WAY = 0x01;

  private TcpProtocol() {}

  static String typeName(byte type) {
    return switch (type) {
      case TYPE_REQUEST -> "REQUEST";
      case TYPE_RESPONSE -> "RESPONSE";
      case TYPE_PING -> "PING";
      case TYPE_PONG -> "PONG";
      case TYPE_CANCEL -> "CANCEL";
      case TYPE_GOAWAY -> "GOAWAY";
      default -> "type " + type;
    };
  }

  /** Writes an unsigned LEB128 varint (at most 10 bytes). */
  static void writeVarint(ByteBuf out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  /** Reads a varint that must fit in {@code maxBits} bits. */
  static long readVarint(ByteBuf in, int maxBits) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!in.isReadable()) {
        throw new CorruptedFrameException("truncated varint in header section");
      }
      byte b = in.readByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (maxBits < 64 && (result >>> maxBits) != 0) {
          throw new CorruptedFrameException(
              "varint " + Long.toUnsignedString(result) + " exceeds " + maxBits + " bits");
        }
        return result;
      }
    }
    throw new CorruptedFrameException("varint longer than 10 bytes in header section");
  }

  /** Writes a varint length and the UTF-8 bytes of {@code s}. */
  static void writeString(ByteBuf out, String s) {
    int length = ByteBufUtil.utf8Bytes(s);
    writeVarint(out, length);
    out.writeCharSequence(s, StandardCharsets.UTF_8);
  }

  /** Writes a varint length and {@code bytes}. */
  static void writeBytes(ByteBuf out, byte[] bytes) {
    writeVarint(out, bytes.length);
    out.writeBytes(bytes);
  }

  /** Reads a varint length and that many bytes as UTF-8, checking the length against what remains. */
  static String readString(ByteBuf in) {
    int length = readLength(in);
    String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
    in.skipBytes(length);
    return s;
  }

  /** Reads a varint length and that many bytes, checking the length against what remains. */
  static byte[] readBytes(ByteBuf in) {
    byte[] bytes = new byte[readLength(in)];
    in.readBytes(bytes);
    return bytes;
  }

  static int readLength(ByteBuf in) {
    long length = readVarint(in, 31);
    if (length > in.readableBytes()) {
      throw new CorruptedFrameException("length " + length + " runs past the header section ("
          + in.readableBytes() + " bytes left)");
    }
    return (int) length;
  }
}
