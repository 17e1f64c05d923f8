package io.courier.transport.rest;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small h2 client for tests (cleartext, prior knowledge), frame by frame on Netty's HTTP/2 frame codec: each
 * request is a stream, its response the headers, the DATA and the end of the stream — or its reset. Every wait has
 * a 10 s deadline.
 */
final class H2Client implements AutoCloseable {

  /** A response: {@code :status} and headers, the body, or the RST_STREAM code that ended the stream (-1: none). */
  record Response(int status, Http2Headers headers, String body, long resetCode) {
    String header(String name) {
      CharSequence v = headers == null ? null : headers.get(name);
      return v == null ? null : v.toString();
    }
  }

  private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel parent;

  H2Client(int port) throws Exception {
    parent = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
            new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
      }
    }).connect("127.0.0.1", port).sync().channel();
  }

  /** One request; {@code headers} are {@code name: value} pairs; a body gets {@code content-type: application/json}. */
  Response exchange(String method, String path, String body, String... headers) throws Exception {
    Stream stream = open();
    Http2Headers h = headers(method, path, headers);
    if (body != null && !h.contains("content-type")) {
      h.set("content-type", "application/json");
    }
    stream.channel.write(new DefaultHttp2HeadersFrame(h, body == null));
    if (body != null) {
      stream.channel.write(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), true));
    }
    stream.channel.flush();
    return stream.response();
  }

  /** Opens a stream for a test that writes its frames itself. */
  Stream open() throws Exception {
    Recorder recorder = new Recorder();
    Http2StreamChannel channel = new Http2StreamChannelBootstrap(parent).handler(recorder).open().sync().getNow();
    return new Stream(channel, recorder);
  }

  static Http2Headers headers(String method, String path, String... headers) {
    Http2Headers h = new DefaultHttp2Headers().method(method).path(path).scheme("http").authority("localhost");
    for (String header : headers) {
      int colon = header.indexOf(':');
      h.add(header.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), header.substring(colon + 1).trim());
    }
    return h;
  }

  /** One stream: write frames on {@link #channel}, then wait for the {@link #response()}. */
  static final class Stream {
    final Http2StreamChannel channel;
    private final Recorder recorder;

    Stream(Http2StreamChannel channel, Recorder recorder) {
      this.channel = channel;
      this.recorder = recorder;
    }

    Response response() throws Exception {
      return recorder.done.get(10, TimeUnit.SECONDS);
    }
  }

  /** Collects a stream's response frames. */
  private static final class Recorder extends ChannelInboundHandlerAdapter {
    final CompletableFuture<Response> done = new CompletableFuture<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private Http2Headers headers;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame frame) {
          if (headers == null) {
            headers = frame.headers();
          }
          if (frame.isEndStream()) {
            finish(-1);
          }
        } else if (msg instanceof Http2DataFrame frame) {
          ByteBuf content = frame.content();
          byte[] bytes = new byte[content.readableBytes()];
          content.readBytes(bytes);
          body.writeBytes(bytes);
          if (frame.isEndStream()) {
            finish(-1);
          }
        } else if (msg instanceof Http2ResetFrame reset) {
          finish(reset.errorCode());
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      finish(-2);
    }

    private void finish(long resetCode) {
      done.complete(new Response(headers == null ? 0 : Integer.parseInt(headers.status().toString()), headers,
          body.toString(StandardCharsets.UTF_8), resetCode));
    }
  }

  @Override
  public void close() {
    parent.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
