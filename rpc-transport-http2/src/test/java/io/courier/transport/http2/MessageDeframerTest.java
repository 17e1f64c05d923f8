package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.transport.ByteBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageDeframerTest {

  private final List<String> messages = new ArrayList<>();
  private final List<Boolean> compressedFlags = new ArrayList<>();
  private int consumed;
  private boolean ended;
  private Status failure;

  private final MessageDeframer.Listener listener = new MessageDeframer.Listener() {
    @Override
    public void messageRead(ByteBuf message, boolean wasCompressed) {
      messages.add(message.toString(StandardCharsets.UTF_8));
      compressedFlags.add(wasCompressed);
      message.release();
    }

    @Override
    public void bytesConsumed(int bytes) {
      consumed += bytes;
    }

    @Override
    public void endOfStream() {
      ended = true;
    }

    @Override
    public void deframeFailed(Status status) {
      failure = status;
    }
  };

  private final MessageDeframer deframer = new MessageDeframer(listener, PooledByteBufAllocator.DEFAULT, 1024);

  /** A listener that keeps a failure in {@link #failure} and ignores credit and the end of the stream. */
  private abstract class FailureKeepingListener implements MessageDeframer.Listener {
    @Override
    public void bytesConsumed(int bytes) {}

    @Override
    public void endOfStream() {}

    @Override
    public void deframeFailed(Status status) {
      failure = status;
    }
  }

  @AfterEach
  void close() {
    deframer.close();
  }

  private static ByteBuf framed(String text, boolean gzip) {
    ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    try {
      return MessageFramer.frame(PooledByteBufAllocator.DEFAULT, gzip, out -> out.writeBytes(body, body.readerIndex(),
          body.readableBytes()));
    } finally {
      body.release();
    }
  }

  @Test
  void deliversOnlyWhatWasRequestedAndReturnsCreditAsItReads() {
    ByteBuf data = Unpooled.wrappedBuffer(framed("one", false), framed("two", false), framed("three", false));
    int total = data.readableBytes();
    deframer.deframe(data, true);
    assertThat(messages).isEmpty();
    assertThat(consumed).as("nothing read without demand, so no credit returned").isZero();
    deframer.request(1);
    assertThat(messages).containsExactly("one");
    assertThat(consumed).isEqualTo(5 + 3);
    deframer.request(5);
    assertThat(messages).containsExactly("one", "two", "three");
    assertThat(consumed).isEqualTo(total);
    assertThat(ended).isTrue();
  }

  @Test
  void messagesSplitAcrossDataFramesAreJoined() {
    ByteBuf whole = framed("split across frames", false);
    byte[] bytes = ByteBufUtil.getBytes(whole);
    whole.release();
    deframer.request(1);
    for (byte b : bytes) {
      deframer.deframe(Unpooled.wrappedBuffer(new byte[] {b}), false);
    }
    assertThat(messages).containsExactly("split across frames");
    assertThat(ended).isFalse();
  }

  @Test
  void gzipMessagesAreInflated() {
    deframer.gzip(true);
    deframer.request(2);
    deframer.deframe(Unpooled.wrappedBuffer(framed("zipped", true), framed("plain", false)), false);
    assertThat(messages).containsExactly("zipped", "plain");
    assertThat(compressedFlags).containsExactly(true, false);
  }

  @Test
  void aCompressedFlagWithoutGrpcEncodingIsAnError() {
    deframer.request(1);
    deframer.deframe(framed("zipped", true), false);
    assertThat(failure.code()).isEqualTo(StatusCode.INTERNAL);
    assertThat(messages).isEmpty();
  }

  @Test
  void theLimitIsCheckedOnThePrefix() {
    deframer.request(1);
    deframer.deframe(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 4, 1}), false); // 1025 bytes announced
    assertThat(failure.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
    assertThat(failure.description()).contains("1025").contains("1024");
  }

  @Test
  void aZipBombIsStoppedAtTheLimit() {
    deframer.gzip(true);
    deframer.request(1);
    deframer.deframe(framed("x".repeat(100_000), true), false); // small on the wire, 100 KB inflated
    assertThat(failure.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
  }

  @Test
  void badFlagsAndTruncatedStreamsAreErrors() {
    deframer.request(1);
    deframer.deframe(Unpooled.wrappedBuffer(new byte[] {2, 0, 0, 0, 0}), false);
    assertThat(failure.code()).isEqualTo(StatusCode.INTERNAL);

    MessageDeframer truncated = new MessageDeframer(listener, PooledByteBufAllocator.DEFAULT, 1024);
    failure = null;
    truncated.request(1);
    truncated.deframe(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 9, 1, 2}), true);
    assertThat(failure.description()).contains("middle of a message");
    truncated.close();
  }

  @Test
  void aMessageOverOneMibIsReadIntoPooledPiecesOfAtMostOneMibIntactAcrossFrames() {
    int length = 2 * MessageDeframer.MAX_PIECE + 12_345;
    byte[] body = new byte[length];
    new java.util.Random(7).nextBytes(body);
    ByteBuf framed = MessageFramer.frame(PooledByteBufAllocator.DEFAULT, false, out -> out.writeBytes(body));
    List<ByteBuf> read = new ArrayList<>();
    MessageDeframer big = new MessageDeframer(new FailureKeepingListener() {
      @Override
      public void messageRead(ByteBuf message, boolean wasCompressed) {
        read.add(message);
      }
    }, PooledByteBufAllocator.DEFAULT, 4 * MessageDeframer.MAX_PIECE);
    try {
      big.request(1);
      while (framed.isReadable()) { // 16 KiB DATA frames, as a peer sends them
        big.deframe(framed.readRetainedSlice(Math.min(16_384, framed.readableBytes())), false);
      }
      assertThat(failure).isNull();
      assertThat(read).hasSize(1);
      ByteBuf message = read.get(0);
      assertThat(ByteBufUtil.getBytes(message)).isEqualTo(body);
      assertThat(message).isInstanceOf(io.netty.buffer.CompositeByteBuf.class);
      io.netty.buffer.CompositeByteBuf pieces = (io.netty.buffer.CompositeByteBuf) message;
      assertThat(pieces.numComponents()).isEqualTo(3);
      for (int i = 0; i < pieces.numComponents(); i++) {
        assertThat(pieces.internalComponent(i).capacity()).isLessThanOrEqualTo(MessageDeframer.MAX_PIECE);
      }
      assertThat(message.release()).isTrue();
    } finally {
      framed.release();
      big.close();
    }
  }

  @Test
  void closingInTheMiddleOfAMessageInPiecesReleasesThem() {
    ByteBuf framed = MessageFramer.frame(PooledByteBufAllocator.DEFAULT, false,
        out -> out.writeZero(MessageDeframer.MAX_PIECE + 1));
    MessageDeframer big = new MessageDeframer(listener, PooledByteBufAllocator.DEFAULT, 2 * MessageDeframer.MAX_PIECE);
    big.request(1);
    ByteBuf first = framed.readRetainedSlice(100_000);
    big.deframe(first, false);
    framed.release();
    assertThat(first.refCnt()).as("the frame was copied into the message's pieces").isZero();
    big.close(); // the pieces are pooled buffers: a leak shows in Netty's leak detector (paranoid in tests)
    assertThat(messages).isEmpty();
    assertThat(failure).isNull();
  }

  @Test
  void closeReleasesWhatIsQueued() {
    ByteBuf data = framed("never read", false);
    deframer.deframe(data, false);
    deframer.close();
    assertThat(data.refCnt()).isZero();
    deframer.deframe(framed("after close", false), false); // released at once
    assertThat(messages).isEmpty();
  }

  @Test
  void aMessageThatDoesNotFitTheBudgetWaitsConsumingNothingAndHoldsItsBytesUntilItFits() {
    ByteBudget budget = ByteBudget.of("test budget", 10);
    List<Integer> held = new ArrayList<>();
    List<Long> waitedFor = new ArrayList<>();
    MessageDeframer.Listener waiting = new MessageDeframer.Listener() {
      @Override
      public void messageRead(ByteBuf message, boolean wasCompressed) {
        listener.messageRead(message, wasCompressed);
      }

      @Override
      public void bytesConsumed(int bytes) {
        listener.bytesConsumed(bytes);
      }

      @Override
      public void endOfStream() {
        listener.endOfStream();
      }

      @Override
      public void deframeFailed(Status status) {
        listener.deframeFailed(status);
      }

      @Override
      public boolean awaitBudget(long bytes) {
        waitedFor.add(bytes);
        return true;
      }

      @Override
      public void heldForBudget(int delta) {
        held.add(delta);
      }
    };
    MessageDeframer d = new MessageDeframer(waiting, PooledByteBufAllocator.DEFAULT, 1024, budget);
    try {
      assertThat(budget.tryReserve(5)).isTrue(); // someone else holds half the budget
      ByteBuf first = framed("eight by", false);
      d.request(1);
      d.deframe(first.readRetainedSlice(7), false); // the prefix and 2 bytes
      assertThat(waitedFor).containsExactly(8L);
      assertThat(d.isWaitingForBudget()).isTrue();
      assertThat(consumed).as("not even the prefix is consumed while waiting").isZero();
      d.deframe(first, true); // the rest arrives while waiting: held too
      assertThat(held).containsExactly(7, 6);
      assertThat(d.retryBudget()).as("still does not fit").isTrue();
      assertThat(waitedFor).as("asked once").hasSize(1);
      budget.release(5);
      assertThat(d.retryBudget()).as("fits now").isFalse();
      assertThat(held).containsExactly(7, 6, -13);
      assertThat(messages).containsExactly("eight by");
      assertThat(consumed).isEqualTo(13);
      assertThat(ended).isTrue();
      assertThat(budget.used()).as("given back once the message was read").isZero();
    } finally {
      d.close();
    }
  }

  @Test
  void closingWhileWaitingForBudgetStopsHoldingAndRefusesNothing() {
    ByteBudget budget = ByteBudget.of("test budget", 4);
    List<Integer> held = new ArrayList<>();
    MessageDeframer d = new MessageDeframer(new FailureKeepingListener() {
      @Override
      public void messageRead(ByteBuf message, boolean wasCompressed) {
        message.release();
      }

      @Override
      public boolean awaitBudget(long bytes) {
        return true;
      }

      @Override
      public void heldForBudget(int delta) {
        held.add(delta);
      }
    }, PooledByteBufAllocator.DEFAULT, 1024, budget);
    d.request(1);
    d.deframe(framed("too long", false), false);
    d.close();
    assertThat(held).containsExactly(13, -13);
    assertThat(failure).isNull();
    assertThat(d.retryBudget()).isFalse();
    assertThat(budget.used()).isZero();
  }

  @Test
  void withoutAWaitingListenerAMessageOverTheBudgetIsRefused() {
    MessageDeframer d = new MessageDeframer(listener, PooledByteBufAllocator.DEFAULT, 1024,
        ByteBudget.of("test budget", 4));
    d.request(1);
    d.deframe(framed("too long", false), false);
    assertThat(failure.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
    assertThat(failure.description()).contains("test budget");
    d.close();
  }
}
