package io.courier.transport.tcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

/**
 * Feeds arbitrary bytes to the frame decoder: it must either produce frames or reject the input with a
 * {@link DecoderException}, never throw anything else, never allocate past its limits, never leak.
 */
class TcpFrameDecoderFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void decoderSurvivesAnyBytes(byte[] input) {
    EmbeddedChannel channel = new EmbeddedChannel(new TcpFrameDecoder(64 * 1024, 4096, 16));
    try {
      channel.writeInbound(Unpooled.wrappedBuffer(input));
    } catch (DecoderException expected) {
      // malformed input is refused; that is the point
    } finally {
      Object frame;
      while ((frame = channel.readInbound()) != null) {
        ReferenceCountUtil.release(frame);
      }
      channel.finishAndReleaseAll();
    }
  }
}
