package io.courier.transport.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one gRPC message: the 5-byte prefix (compressed flag, 32-bit length) and the bytes a serializer
 * writes, gzip-compressed when asked. See {@link MessageDeframer} for the layout. Stateless.
 */
final class MessageFramer {

  private MessageFramer() {}

  /**
   * A framed message whose body {@code body} writes into the buffer it is given. On failure nothing leaks and
   * the serializer's exception propagates.
   */
  static ByteBuf frame(ByteBufAllocator alloc, boolean gzip, Consumer<ByteBuf> body) {
    ByteBuf out = alloc.buffer();
    try {
      out.writeZero(5);
      body.accept(out);
      if (gzip) {
        ByteBuf compressed = compress(alloc, out);
        out.release();
        out = compressed;
      }
      out.setByte(0, gzip ? 1 : 0);
      out.setInt(1, out.readableBytes() - 5);
      return out;
    } catch (RuntimeException | Error e) {
      out.release();
      throw e;
    }
  }

  private static ByteBuf compress(ByteBufAllocator alloc, ByteBuf framed) {
    ByteBuf out = alloc.buffer(Math.max(64, framed.readableBytes() / 2));
    try {
      out.writeZero(5);
      try (GZIPOutputStream gzip = new GZIPOutputStream(new ByteBufOutputStream(out), 8192)) {
        framed.getBytes(5, gzip, framed.readableBytes() - 5);
      }
      return out;
    } catch (IOException e) {
      out.release();
      throw new UncheckedIOException("gzip failed", e);
    } catch (RuntimeException | Error e) {
      out.release();
      throw e;
    }
  }
}
