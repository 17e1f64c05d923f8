package io.courier.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.common.Metadata;
import io.courier.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpFrameDecoderTest {

  private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token");
  private static final Metadata.Key<byte[]> TRACE = Metadata.Key.binary("trace-bin");

  /** Writes strings as length-prefixed UTF-8; enough to give frames a real body. */
  private static final Serializer STRINGS = new Serializer() {
    @Override
    public byte id() {
      return 9;
    }

    @Override
    public String name() {
      return "strings";
    }

    @Override
    public void write(ByteBuf out, Object value, Type type) {
      byte[] bytes = ((String) value).getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length).writeBytes(bytes);
    }

    @Override
    public Object read(ByteBuf in, Type type) {
      return in.readCharSequence(in.readInt(), StandardCharsets.UTF_8).toString();
    }
  };

  private final EmbeddedChannel channel = new EmbeddedChannel(new TcpFrameDecoder(1024 * 1024, 4096, 8));

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  private static ByteBuf request(long id, String arg) {
    return TcpFrameWriter.request(ByteBufAllocator.DEFAULT, id, false, STRINGS, "acme.Users", "getUser", 1500,
        Metadata.EMPTY.with(TOKEN, "t0k3n").with(TRACE, new byte[] {0, 1, (byte) 0xff}), new Object[] {arg},
        new Type[] {String.class});
  }

  @Test
  void requestRoundTrip() {
    channel.writeInbound(request(42, "héllo"));
    TcpFrame frame = channel.readInbound();
    try {
      assertThat(frame.type).isEqualTo(TcpProtocol.TYPE_REQUEST);
      assertThat(frame.id).isEqualTo(42);
      assertThat(frame.serializerId).isEqualTo((byte) 9);
      assertThat(frame.service).isEqualTo("acme.Users");
      assertThat(frame.method).isEqualTo("getUser");
      assertThat(frame.timeoutMicros).isEqualTo(1500);
      assertThat(frame.isOneWay()).isFalse();
      assertThat(frame.metadata.get(TOKEN)).isEqualTo("t0k3n");
      assertThat(frame.metadata.get(TRACE)).containsExactly(0, 1, 0xff);
      assertThat(STRINGS.read(frame.body, String.class)).isEqualTo("héllo");
    } finally {
      frame.release();
    }
  }

  @Test
  void repeatedNamesDecodeToTheSameStringsAndDifferentOnesStayApart() {
    channel.writeInbound(request(1, "a"), request(2, "b"));
    TcpFrame first = channel.readInbound();
    TcpFrame second = channel.readInbound();
    ByteBuf other = TcpFrameWriter.request(ByteBufAllocator.DEFAULT, 3, false, STRINGS, "acme.Userz", "getUsex", 0,
        Metadata.EMPTY, new Object[] {"c"}, new Type[] {String.class});
    channel.writeInbound(other);
    TcpFrame third = channel.readInbound();
    try {
      assertThat(second.service).isSameAs(first.service).isEqualTo("acme.Users");
      assertThat(second.method).isSameAs(first.method).isEqualTo("getUser");
      assertThat(third.service).isEqualTo("acme.Userz"); // same length, other bytes
      assertThat(third.method).isEqualTo("getUsex");
    } finally {
      first.release();
      second.release();
      third.release();
    }
    for (int i = 0; i < 40; i++) { // more names than the cache holds: each still decodes to itself
      ByteBuf many = TcpFrameWriter.request(ByteBufAllocator.DEFAULT, 10 + i, false, STRINGS, "svc" + i, "m" + i, 0,
          Metadata.EMPTY, new Object[] {"x"}, new Type[] {String.class});
      channel.writeInbound(many);
      TcpFrame frame = channel.readInbound();
      try {
        assertThat(frame.service).isEqualTo("svc" + i);
        assertThat(frame.method).isEqualTo("m" + i);
      } finally {
        frame.release();
      }
    }
  }

  @Test
  void responseErrorAndControlFramesRoundTrip() {
    channel.writeInbound(TcpFrameWriter.response(ByteBufAllocator.DEFAULT, 7, STRINGS,
        Metadata.EMPTY.with(TOKEN, "x"), "result", String.class));
    channel.writeInbound(TcpFrameWriter.error(ByteBufAllocator.DEFAULT, 8, 5, "user 8 not found", Metadata.EMPTY));
    channel.writeInbound(TcpFrameWriter.control(ByteBufAllocator.DEFAULT, TcpProtocol.TYPE_PING, 99));
    channel.writeInbound(TcpFrameWriter.goAway(ByteBufAllocator.DEFAULT, "shutting down"));

    TcpFrame ok = channel.readInbound();
    assertThat(ok.type).isEqualTo(TcpProtocol.TYPE_RESPONSE);
    assertThat(ok.status).isZero();
    assertThat(ok.metadata.get(TOKEN)).isEqualTo("x");
    assertThat(STRINGS.read(ok.body, String.class)).isEqualTo("result");
    ok.release();
    TcpFrame error = channel.readInbound();
    assertThat(error.status).isEqualTo((byte) 5);
    assertThat(error.message).isEqualTo("user 8 not found");
    assertThat(error.body.readableBytes()).isZero();
    error.release();
    TcpFrame ping = channel.readInbound();
    assertThat(ping.type).isEqualTo(TcpProtocol.TYPE_PING);
    assertThat(ping.id).isEqualTo(99);
    ping.release();
    TcpFrame goAway = channel.readInbound();
    assertThat(goAway.message).isEqualTo("shutting down");
    goAway.release();
  }

  @Test
  void reassemblesFramesDeliveredOneByteAtATime() {
    ByteBuf two = Unpooled.wrappedBuffer(request(1, "first"), request(2, "second"));
    while (two.isReadable()) {
      channel.writeInbound(two.readRetainedSlice(1));
    }
    two.release();
    TcpFrame first = channel.readInbound();
    TcpFrame second = channel.readInbound();
    assertThat(STRINGS.read(first.body, String.class)).isEqualTo("first");
    assertThat(STRINGS.read(second.body, String.class)).isEqualTo("second");
    assertThat((Object) channel.readInbound()).isNull();
    first.release();
    second.release();
  }

  @Test
  void rejectsWrongMagicAtOnce() {
    ByteBuf garbage = Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> channel.writeInbound(garbage)).isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("bad magic 0x4745");
  }

  @Test
  void rejectsUnknownVersionAndType() {
    ByteBuf frame = request(1, "x");
    frame.setByte(2, 9);
    assertThatThrownBy(() -> channel.writeInbound(frame)).isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("unsupported protocol version 9");
    EmbeddedChannel other = new EmbeddedChannel(new TcpFrameDecoder(1024, 1024, 8));
    ByteBuf typed = request(1, "x");
    typed.setByte(3, 77);
    assertThatThrownBy(() -> other.writeInbound(typed)).hasMessageContaining("unknown frame type 77");
    other.finishAndReleaseAll();
  }

  @Test
  void rejectsOversizedLengthsBeforeBuffering() {
    ByteBuf prefixOnly = Unpooled.buffer();
    prefixOnly.writeShort(TcpProtocol.MAGIC).writeByte(1).writeByte(TcpProtocol.TYPE_REQUEST).writeInt(0)
        .writeLong(1).writeInt(16).writeInt(Integer.MAX_VALUE);
    // Only the 24-byte prefix arrives: the claimed 2 GiB body is refused without waiting for it.
    assertThatThrownBy(() -> channel.writeInbound(prefixOnly)).isInstanceOf(TooLongFrameException.class)
        .hasMessageContaining("exceeds the limit of 1048576");

    EmbeddedChannel headers = new EmbeddedChannel(new TcpFrameDecoder(1024 * 1024, 4096, 8));
    ByteBuf bigHeader = Unpooled.buffer();
    bigHeader.writeShort(TcpProtocol.MAGIC).writeByte(1).writeByte(TcpProtocol.TYPE_REQUEST).writeInt(0)
        .writeLong(1).writeInt(5000).writeInt(0);
    assertThatThrownBy(() -> headers.writeInbound(bigHeader)).isInstanceOf(TooLongFrameException.class)
        .hasMessageContaining("header section of 5000 bytes");
    headers.finishAndReleaseAll();
  }

  @Test
  void rejectsTooManyMetadataEntries() {
    Metadata many = Metadata.EMPTY;
    for (int i = 0; i < 9; i++) {
      many = many.with(TOKEN, "v" + i);
    }
    ByteBuf frame = TcpFrameWriter.request(ByteBufAllocator.DEFAULT, 1, false, STRINGS, "s", "m", 0, many,
        new Object[] {"x"}, new Type[] {String.class});
    assertThatThrownBy(() -> channel.writeInbound(frame)).isInstanceOf(TooLongFrameException.class)
        .hasMessageContaining("9 metadata entries exceed the limit of 8");
  }

  @Test
  void rejectsAHeaderSectionWhoseLengthsLie() {
    ByteBuf frame = Unpooled.buffer();
    frame.writeShort(TcpProtocol.MAGIC).writeByte(1).writeByte(TcpProtocol.TYPE_REQUEST).writeInt(0)
        .writeLong(1).writeInt(3).writeInt(0);
    frame.writeByte(100).writeByte('a').writeByte('b'); // service name claims 100 bytes, 2 follow
    assertThatThrownBy(() -> channel.writeInbound(frame)).isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("runs past the header section");
  }

  @Test
  void truncatedFrameYieldsNothingAndLeaksNothing() {
    ByteBuf whole = request(3, "cut short");
    ByteBuf partial = whole.readRetainedSlice(whole.readableBytes() - 3);
    whole.release();
    channel.writeInbound(partial);
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.finish()).isFalse();
  }

  /** A server's decoder admits every request and reserves from an unlimited budget. */
  private static TcpFrameDecoder serverDecoder() {
    return new TcpFrameDecoder(1024 * 1024, 4096, 8, 30_000, new TcpFrameDecoder.RequestGate() {
      @Override
      public void decide(TcpFrame frame, long bodyLength) {
        frame.head = new io.courier.server.CallHead(frame.service, frame.method, null, frame.metadata, null);
      }

      @Override
      public io.courier.transport.ByteBudget pendingBytes() {
        return io.courier.transport.ByteBudget.unlimited();
      }
    });
  }

  /** The prefix of a frame of {@code type} that claims {@code bodyLength} bytes after it. */
  private static ByteBuf prefix(byte type, int bodyLength) {
    return Unpooled.buffer().writeShort(TcpProtocol.MAGIC).writeByte(TcpProtocol.VERSION).writeByte(type)
        .writeInt(0).writeLong(1).writeInt(0).writeInt(bodyLength);
  }

  @Test
  void aServerRefusesControlFramesThatCarryBytesOnTheirPrefix() {
    EmbeddedChannel server = new EmbeddedChannel(serverDecoder());
    // a PING claiming 1 MiB: refused on its 24-byte prefix, before any of that is buffered
    assertThatThrownBy(() -> server.writeInbound(prefix(TcpProtocol.TYPE_PING, 1024 * 1024)))
        .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("PING frame carrying 1048576 bytes");
    server.finishAndReleaseAll();
  }

  @Test
  void aServerRefusesFramesOnlyAServerSends() {
    EmbeddedChannel server = new EmbeddedChannel(serverDecoder());
    assertThatThrownBy(() -> server.writeInbound(prefix(TcpProtocol.TYPE_RESPONSE, 100)))
        .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("unexpected RESPONSE frame from a client");
    server.finishAndReleaseAll();
  }

  @Test
  void aServerStillTakesBodilessPings() {
    EmbeddedChannel server = new EmbeddedChannel(serverDecoder());
    server.writeInbound(prefix(TcpProtocol.TYPE_PING, 0));
    TcpFrame ping = server.readInbound();
    assertThat(ping.type).isEqualTo(TcpProtocol.TYPE_PING);
    ping.release();
    server.finishAndReleaseAll();
  }
}
