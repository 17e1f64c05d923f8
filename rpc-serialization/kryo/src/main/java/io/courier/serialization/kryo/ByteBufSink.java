package io.courier.serialization.kryo;

import io.netty.buffer.ByteBuf;
import java.io.OutputStream;

/** An {@link OutputStream} that appends to whichever {@link ByteBuf} it currently targets; reused from a pool. */
final class ByteBufSink extends OutputStream {

  /** The buffer being written; null while the sink sits in the pool. */
  ByteBuf target;

  @Override
  public void write(int b) {
    target.writeByte(b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    target.writeBytes(bytes, offset, length);
  }
}
