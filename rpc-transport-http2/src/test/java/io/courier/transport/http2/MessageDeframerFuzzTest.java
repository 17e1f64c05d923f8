package io.courier.transport.http2;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Set;

/**
 * Feeds the gRPC message deframer arbitrary DATA, split into arbitrary chunks, with or without gzip and with
 * arbitrary demand: it may deliver messages or fail the stream with a status, never throw, never deliver a
 * message over the limit, never leak (the build's leak check fails the class if a buffer is dropped).
 */
class MessageDeframerFuzzTest {

  private static final int MAX = 4096;
  private static final Set<StatusCode> REFUSALS = Set.of(StatusCode.RESOURCE_EXHAUSTED, StatusCode.INTERNAL,
      StatusCode.UNIMPLEMENTED, StatusCode.INVALID_ARGUMENT);

  @FuzzTest(maxDuration = "5s")
  void deframerSurvivesAnyData(FuzzedDataProvider data) {
    MessageDeframer deframer = new MessageDeframer(new MessageDeframer.Listener() {
      @Override
      public void messageRead(ByteBuf message, boolean wasCompressed) {
        try {
          if (message.readableBytes() > MAX) {
            throw new AssertionError("delivered a message of " + message.readableBytes() + " bytes over " + MAX);
          }
        } finally {
          message.release();
        }
      }

      @Override
      public void bytesConsumed(int bytes) {
        if (bytes < 0) {
          throw new AssertionError("negative flow-control credit " + bytes);
        }
      }

      @Override
      public void endOfStream() {}

      @Override
      public void deframeFailed(Status status) {
        if (!REFUSALS.contains(status.code())) {
          throw new AssertionError("unexpected refusal " + status);
        }
      }
    }, ByteBufAllocator.DEFAULT, MAX);
    try {
      deframer.gzip(data.consumeBoolean());
      deframer.request(data.consumeInt(0, 8));
      while (data.remainingBytes() > 0) {
        byte[] chunk = data.consumeBytes(data.consumeInt(0, 600));
        deframer.deframe(Unpooled.wrappedBuffer(chunk), data.remainingBytes() == 0);
        deframer.request(data.consumeInt(0, 3));
      }
    } finally {
      deframer.close();
    }
  }
}
