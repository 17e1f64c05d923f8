package io.courier.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbstractHttp2HandlerTest {

  private static final int STREAMS = 16;
  private static final int MESSAGE = 1024 * 1024;
  private static final int WHOLE_FRAMES = STREAMS * MESSAGE / AbstractHttp2Handler.MIN_ALLOCATION_CHUNK;

  @Test
  void theFrameLogIsOnlyOnWhenAskedFor() {
    String before = System.getProperty("courier.http2.frameLog");
    try {
      System.clearProperty("courier.http2.frameLog");
      assertThat(AbstractHttp2Handler.frameLogger("client")).isNull();
      System.setProperty("courier.http2.frameLog", "true");
      assertThat(AbstractHttp2Handler.frameLogger("server")).isNotNull();
    } finally {
      if (before == null) {
        System.clearProperty("courier.http2.frameLog");
      } else {
        System.setProperty("courier.http2.frameLog", before);
      }
    }
  }

  /**
   * Sixteen 1 MiB messages queued at once on one Courier connection leave in whole 16 KiB DATA frames (but for a few
   * cut short where a write pass ends), in passes of up to 1 MiB: one socket write each.
   */
  @Test
  void concurrentMessagesLeaveInWholeFramesAndFewWrites() {
    Http2Connection connection = AbstractHttp2Handler.newConnection(false);
    Http2ConnectionEncoder encoder = new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter());
    Http2ConnectionDecoder decoder = new DefaultHttp2ConnectionDecoder(connection, encoder,
        new DefaultHttp2FrameReader());
    Wire courier = send(new TestHandler(decoder, encoder));

    assertThat(courier.frames.size()).isLessThan(WHOLE_FRAMES * 3 / 2);
    assertThat(courier.frames.stream().filter(size -> size == AbstractHttp2Handler.MIN_ALLOCATION_CHUNK).count())
        .isGreaterThan(WHOLE_FRAMES * 3L / 4);
    assertThat(courier.flushes).isLessThanOrEqualTo(2 * STREAMS + 2);
  }

  /**
   * What Netty does by default, and Courier did before: the queued messages leave interleaved in about 1 KiB frames,
   * over 8 times the frames (each with its header, promises and flow-control bookkeeping on both sides), in 64 KiB
   * passes.
   */
  @Test
  void nettysDefaultsCutThemSmall() {
    Http2ConnectionHandler netty = new Http2ConnectionHandlerBuilder().connection(new DefaultHttp2Connection(false))
        .frameListener(new Http2FrameAdapter()).build();
    Wire wire = send(netty);

    assertThat(wire.frames.size()).isGreaterThan(8 * WHOLE_FRAMES);
    assertThat(wire.flushes).isGreaterThan(8 * STREAMS);
  }

  /** What a client connection wrote for {@link #STREAMS} concurrent messages: DATA frame sizes and socket flushes. */
  private record Wire(List<Integer> frames, int flushes) {}

  private static Wire send(Http2ConnectionHandler handler) {
    int[] flushes = {0};
    ChannelOutboundHandlerAdapter flushCounter = new ChannelOutboundHandlerAdapter() {
      @Override
      public void flush(ChannelHandlerContext ctx) {
        flushes[0]++;
        ctx.flush();
      }
    };
    EmbeddedChannel channel = new EmbeddedChannel(flushCounter, handler);
    try {
      // the peer's SETTINGS (a 1 MiB stream window) and a connection window that holds every message
      ByteBuf inbound = Unpooled.buffer();
      frameHeader(inbound, 6, Http2FrameTypes.SETTINGS, 0);
      inbound.writeShort(Http2CodecUtil.SETTINGS_INITIAL_WINDOW_SIZE).writeInt(MESSAGE);
      frameHeader(inbound, 4, Http2FrameTypes.WINDOW_UPDATE, 0);
      inbound.writeInt(STREAMS * MESSAGE);
      channel.writeInbound(inbound);
      channel.runPendingTasks();
      drainOutbound(channel).release(); // preface, SETTINGS, SETTINGS ack

      ChannelHandlerContext ctx = channel.pipeline().context(handler);
      for (int i = 0; i < STREAMS; i++) {
        int streamId = 2 * i + 1;
        handler.encoder().writeHeaders(ctx, streamId, new DefaultHttp2Headers().method("POST").path("/echo"), 0,
            false, ctx.newPromise());
        handler.encoder().writeData(ctx, streamId, Unpooled.wrappedBuffer(new byte[MESSAGE]), 0, true,
            ctx.newPromise());
      }
      flushes[0] = 0;
      handler.flush(ctx);
      channel.runPendingTasks();

      Map<Integer, Integer> bytesPerStream = new HashMap<>();
      List<Integer> sizes = new ArrayList<>();
      ByteBuf wire = drainOutbound(channel);
      try {
        while (wire.readableBytes() >= Http2CodecUtil.FRAME_HEADER_LENGTH) {
          int length = wire.readUnsignedMedium();
          byte type = wire.readByte();
          wire.skipBytes(1); // flags
          int streamId = wire.readInt() & Integer.MAX_VALUE;
          wire.skipBytes(length);
          if (type == Http2FrameTypes.DATA) {
            sizes.add(length);
            bytesPerStream.merge(streamId, length, Integer::sum);
          }
        }
      } finally {
        wire.release();
      }
      assertThat(bytesPerStream).hasSize(STREAMS).allSatisfy((id, bytes) -> assertThat(bytes).isEqualTo(MESSAGE));
      return new Wire(sizes, flushes[0]);
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  private static ByteBuf drainOutbound(EmbeddedChannel channel) {
    ByteBuf all = Unpooled.buffer();
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      all.writeBytes(b);
      b.release();
    }
    return all;
  }

  private static void frameHeader(ByteBuf out, int length, byte type, int streamId) {
    out.writeMedium(length).writeByte(type).writeByte(0).writeInt(streamId);
  }

  /** The smallest Courier handler: what {@link AbstractHttp2Handler} does, and nothing for streams. */
  private static final class TestHandler extends AbstractHttp2Handler {
    TestHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder) {
      super(decoder, encoder, new Http2Settings(), MESSAGE);
    }

    @Override
    protected String connectionName() {
      return "the test connection";
    }

    @Override
    protected long keepaliveTimeoutMillis() {
      return 1_000;
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      return data.readableBytes() + padding;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endOfStream) {}

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endOfStream) {}

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {}

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {}
  }
}
