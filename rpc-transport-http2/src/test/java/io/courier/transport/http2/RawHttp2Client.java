package io.courier.transport.http2;

import io.courier.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately dumb HTTP/2 client on a plain socket, for sending what a well-behaved client never would:
 * frames are encoded with Netty's {@link DefaultHttp2FrameWriter} (through an {@link EmbeddedChannel}) or
 * written as raw bytes, and every frame the server sends back is decoded into a {@link Frame} on a queue.
 * Sends no SETTINGS ack, WINDOW_UPDATE or PING ack unless told to. Test code only.
 */
final class RawHttp2Client implements AutoCloseable {

  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** One frame from the server; {@code type} is the frame name, {@code closed} marks the end of the connection. */
  record Frame(String type, int streamId, Http2Headers headers, long code, boolean endStream) {
    @Override
    public String toString() {
      return type + "(stream " + streamId + (headers != null ? ", " + headers : "") + ", code " + code
          + (endStream ? ", END_STREAM" : "") + ")";
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final EmbeddedChannel encoder = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final EmbeddedChannel decoder = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final Thread reader;

  RawHttp2Client(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(15_000);
    out = socket.getOutputStream();
    reader = new Thread(this::readLoop, "raw-http2-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** The preface and an empty SETTINGS frame. */
  RawHttp2Client handshake() throws IOException {
    return handshake(new Http2Settings());
  }

  /** The preface and a SETTINGS frame of {@code settings}. */
  RawHttp2Client handshake(Http2Settings settings) throws IOException {
    writeRaw(PREFACE);
    ChannelHandlerContext ctx = ctx();
    writer.writeSettings(ctx, settings, ctx.newPromise());
    return flush();
  }

  static Http2Headers grpcRequest(String path) {
    return new DefaultHttp2Headers().method("POST").scheme("http").authority("localhost").path(path)
        .add("content-type", "application/grpc+kryo").add("te", "trailers");
  }

  RawHttp2Client headers(int streamId, Http2Headers headers, boolean endStream) throws IOException {
    ChannelHandlerContext ctx = ctx();
    writer.writeHeaders(ctx, streamId, headers, 0, endStream, ctx.newPromise());
    return flush();
  }

  /** DATA frames of at most 16 KiB (the default SETTINGS_MAX_FRAME_SIZE) carrying {@code bytes}. */
  RawHttp2Client data(int streamId, byte[] bytes, boolean endStream) throws IOException {
    ChannelHandlerContext ctx = ctx();
    int at = 0;
    do {
      int n = Math.min(16384, bytes.length - at);
      boolean last = at + n == bytes.length;
      writer.writeData(ctx, streamId, Unpooled.wrappedBuffer(bytes, at, n), 0, endStream && last, ctx.newPromise());
      at += n;
    } while (at < bytes.length);
    return flush();
  }

  RawHttp2Client rst(int streamId, Http2Error error) throws IOException {
    ChannelHandlerContext ctx = ctx();
    writer.writeRstStream(ctx, streamId, error.code(), ctx.newPromise());
    return flush();
  }

  RawHttp2Client ping(long data) throws IOException {
    ChannelHandlerContext ctx = ctx();
    writer.writePing(ctx, false, data, ctx.newPromise());
    return flush();
  }

  RawHttp2Client windowUpdate(int streamId, int increment) throws IOException {
    ChannelHandlerContext ctx = ctx();
    writer.writeWindowUpdate(ctx, streamId, increment, ctx.newPromise());
    return flush();
  }

  RawHttp2Client pingAck(long data) throws IOException {
    ChannelHandlerContext ctx = ctx();
    writer.writePing(ctx, true, data, ctx.newPromise());
    return flush();
  }

  RawHttp2Client writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** The gRPC message (prefix included) of {@code values} written one after another by {@code serializer}. */
  static byte[] message(Serializer serializer, Object[] values, Type[] types) {
    ByteBuf body = Unpooled.buffer();
    try {
      serializer.writeArguments(body, values, types);
      return message(body.readableBytes(), ByteBufUtil.getBytes(body));
    } finally {
      body.release();
    }
  }

  /** A gRPC message: flag 0, the given length in the prefix (true or not), then {@code body}. */
  static byte[] message(int claimedLength, byte[] body) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(0).writeInt(claimedLength).writeBytes(body);
    byte[] bytes = ByteBufUtil.getBytes(b);
    b.release();
    return bytes;
  }

  /** The next frame of {@code type} (others are skipped), or {@code null} if none within {@code seconds}. */
  Frame await(String type, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      Frame f = frames.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (f == null || f.type().equals(type)) {
        return f;
      }
      if (f.type().equals("CLOSED") && !type.equals("CLOSED")) {
        frames.add(f);
        return null;
      }
    }
  }

  /** The next HEADERS frame of {@code streamId} that ends it (the trailers), or {@code null}. */
  Frame awaitTrailers(int streamId, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      Frame f = await("HEADERS", (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())));
      if (f == null || f.streamId() == streamId && f.endStream()) {
        return f;
      }
      if (System.nanoTime() - deadline > 0) {
        return null;
      }
    }
  }

  /** The first HEADERS frame of {@code streamId} (a response's head), or {@code null} if none in {@code seconds}. */
  Frame awaitHeaders(int streamId, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      Frame f = await("HEADERS", (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())));
      if (f == null || f.streamId() == streamId) {
        return f;
      }
      if (System.nanoTime() - deadline > 0) {
        return null;
      }
    }
  }

  private ChannelHandlerContext ctx() {
    return encoder.pipeline().firstContext();
  }

  private RawHttp2Client flush() throws IOException {
    encoder.flush();
    ByteBuf b;
    while ((b = encoder.readOutbound()) != null) {
      try {
        out.write(ByteBufUtil.getBytes(b));
      } finally {
        b.release();
      }
    }
    out.flush();
    return this;
  }

  private void readLoop() {
    DefaultHttp2FrameReader frameReader = new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(false));
    ByteBuf cumulation = Unpooled.buffer();
    Http2FrameAdapter listener = new Http2FrameAdapter() {
      @Override
      public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
          boolean endOfStream) {
        frames.add(new Frame("HEADERS", streamId, headers, 0, endOfStream));
      }

      @Override
      public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int dependency,
          short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
      }

      @Override
      public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean end) {
        frames.add(new Frame("DATA", streamId, null, data.readableBytes(), end));
        return data.readableBytes() + padding;
      }

      @Override
      public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        frames.add(new Frame("RST_STREAM", streamId, null, errorCode, false));
      }

      @Override
      public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        frames.add(new Frame("GOAWAY", lastStreamId, null, errorCode, false));
      }

      @Override
      public void onPingRead(ChannelHandlerContext ctx, long data) {
        frames.add(new Frame("PING", 0, null, data, false));
      }

      @Override
      public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        frames.add(new Frame("PING_ACK", 0, null, data, false));
      }

      @Override
      public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
        frames.add(new Frame("SETTINGS", 0, null, 0, false));
      }
    };
    byte[] chunk = new byte[16384];
    try (InputStream in = socket.getInputStream()) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        cumulation.writeBytes(chunk, 0, n);
        frameReader.readFrame(decoder.pipeline().firstContext(), cumulation, listener);
        cumulation.discardReadBytes();
      }
    } catch (IOException | Http2Exception | RuntimeException e) {
      // the connection ended, or the server sent something this reader does not parse
    } finally {
      cumulation.release();
      frameReader.close();
      frames.add(new Frame("CLOSED", 0, null, 0, false));
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    encoder.finishAndReleaseAll();
    decoder.finishAndReleaseAll();
  }
}
