package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyTest {

  private final Body body = new Body(ByteBufAllocator.DEFAULT);

  @Test
  void aSinglePieceIsKeptAsItIs() {
    ByteBuf piece = text("hello");
    body.append(piece);
    ByteBuf taken = body.take();
    assertThat(taken).isSameAs(piece);
    assertThat(body.take()).as("taking empties the body").isNull();
    taken.release();
  }

  @Test
  void manyPiecesEndInOneBufferAndEveryPieceIsReleased() {
    List<ByteBuf> pieces = new ArrayList<>();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 500; i++) { // far past a composite's default limit of 16 or 64 components
      String s = "piece-" + i + ";";
      expected.append(s);
      ByteBuf piece = text(s);
      pieces.add(piece);
      body.append(piece);
      body.append(Unpooled.buffer(0)); // empty pieces are dropped
    }
    ByteBuf taken = body.take();
    assertThat(taken.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    assertThat(taken.nioBufferCount()).as("one contiguous buffer").isEqualTo(1);
    assertThat(pieces).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    taken.release();
  }

  @Test
  void releaseFreesWhatArrived() {
    ByteBuf first = text("a");
    ByteBuf second = text("b");
    body.append(first);
    body.append(second);
    body.release();
    assertThat(first.refCnt()).isZero();
    assertThat(second.refCnt()).isZero();
    assertThat(body.take()).isNull();
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }
}
