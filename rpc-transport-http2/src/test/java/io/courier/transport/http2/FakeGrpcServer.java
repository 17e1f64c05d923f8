package io.courier.transport.http2;

import io.courier.client.Invocation;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.ServiceDescriptor;
import io.courier.internal.common.SharedTimer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.EchoService;
import io.courier.testing.TestInvocations;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Timer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real h2 server (Netty's frame codec) whose answers a test writes frame by frame, for client behaviour a Courier
 * server would never provoke (refused streams, held streams, oversized messages), and a client transport to call it.
 */
final class FakeGrpcServer {

  private FakeGrpcServer() {}

  /** The test, given a client transport and the server's endpoint. */
  interface TransportTest {
    void run(Http2ClientTransport transport, Endpoint endpoint) throws Exception;
  }

  /** What the server does with a request stream's HEADERS, on the {@code connection}th connection (from 1). */
  interface StreamHandler {
    void onStream(ChannelHandlerContext ctx, Http2FrameStream stream, int connection);
  }

  static final SerializerSet SERIALIZERS = SerializerSet.load(TypeAllowlist.withDefaults());

  /** A unary call of {@code EchoService/echo} with JSON. */
  static Invocation echo() {
    return TestInvocations.unary(ServiceDescriptor.of(EchoService.class).method("echo"), new Object[] {"x"},
        CallOptions.DEFAULT, SERIALIZERS.byName("json"));
  }

  /** Runs {@code test} against a server with {@code settings} whose streams {@code streams} answers. */
  static void run(Http2Settings settings, StreamHandler streams, TransportTest test) throws Exception {
    run(settings, TransportOptions.DEFAULT, streams, test);
  }

  /** The same, with a client transport that has {@code clientOptions}. */
  static void run(Http2Settings settings, TransportOptions clientOptions, StreamHandler streams, TransportTest test)
      throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Timer timer = SharedTimer.acquire();
    Http2ClientTransport transport = new Http2ClientTransport(new TransportContext(SERIALIZERS, clientOptions,
        timer));
    AtomicInteger connections = new AtomicInteger();
    try {
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              int connection = connections.incrementAndGet();
              ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).build(),
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      if (msg instanceof Http2HeadersFrame request && !request.isEndStream()) {
                        streams.onStream(ctx, request.stream(), connection);
                      }
                      ReferenceCountUtil.release(msg);
                    }
                  });
            }
          }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
      test.run(transport, Endpoint.of((InetSocketAddress) server.localAddress()));
      server.close().syncUninterruptibly();
    } finally {
      transport.close();
      SharedTimer.release(timer);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** A gRPC answer: HEADERS, one length-prefixed JSON message, trailers with grpc-status 0. */
  static void answer(ChannelHandlerContext ctx, Http2FrameStream stream) {
    byte[] json = "\"answered\"".getBytes(StandardCharsets.UTF_8);
    headers(ctx, stream);
    ctx.write(new DefaultHttp2DataFrame(Unpooled.buffer().writeByte(0).writeInt(json.length).writeBytes(json))
        .stream(stream));
    ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true)
        .stream(stream));
  }

  /** A gRPC answer's HEADERS (status 200, JSON), not flushed. */
  static void headers(ChannelHandlerContext ctx, Http2FrameStream stream) {
    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
        .set("content-type", "application/grpc+json")).stream(stream));
  }
}
