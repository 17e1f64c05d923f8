package io.courier.bench.system.limits;

import io.courier.bench.driver.AsyncOperation;
import io.courier.bench.driver.BenchSystem;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor of a round trip: a raw Netty client and server over loopback exchanging length-prefixed frames of
 * the sizes Courier TCP + kryo sends for each workload ({@link EchoSizes}), multiplexed by id over one
 * connection as Courier's are, with no serialization and no dispatch. Frames:
 *
 * <pre>
 * request:  int32 length | int64 id | int32 response size | payload (request size bytes)
 * response: int32 length | int64 id | payload (response size bytes; the request's payload when sizes match)
 * </pre>
 *
 * The server answers on the I/O thread and consolidates flushes while it reads ({@link FlushConsolidationHandler});
 * the client's callers queue their frames and one event-loop task writes all that are queued and flushes once, so
 * neither side makes a system call per message when many are in flight. Native epoll when available, as Courier uses
 * it.
 */
public final class NettyEchoSystem implements BenchSystem {

  private static final int MAX_FRAME = 16 * 1024 * 1024;
  private static final long TIMEOUT_SECONDS = 30;

  @Override
  public String name() {
    return "netty-echo";
  }

  @Override
  public RunningServer startServer(Endpoint at) throws InterruptedException {
    EventLoopGroup group = newGroup();
    Channel server = new ServerBootstrap()
        .group(group)
        .channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new FlushConsolidationHandler(256, true),
                new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4), new EchoHandler());
          }
        })
        .bind(at.host(), at.port()).sync().channel();
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    return new RunningServer() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    };
  }

  /** Answers each request frame with a response frame of the size it asks for. */
  private static final class EchoHandler extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      long id = frame.readLong();
      int responseSize = frame.readInt();
      ByteBuf out = ctx.alloc().ioBuffer(12 + Math.min(responseSize, 4096));
      out.writeInt(8 + responseSize).writeLong(id);
      if (frame.readableBytes() == responseSize) {
        ctx.write(out);
        ctx.writeAndFlush(frame.retain());
      } else {
        out.writeZero(responseSize);
        ctx.writeAndFlush(out);
      }
    }
  }

  @Override
  public Client connect(Endpoint target, int concurrency) throws InterruptedException {
    Map<Workload, EchoSizes.Size> sizes = EchoSizes.measure();
    EventLoopGroup group = newGroup();
    Map<Long, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
    Channel channel;
    try {
      channel = new Bootstrap()
          .group(group)
          .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4),
                  new SimpleChannelInboundHandler<ByteBuf>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                      CompletableFuture<Integer> f = pending.remove(frame.readLong());
                      if (f != null) {
                        f.complete(frame.readableBytes());
                      }
                    }
                  });
            }
          })
          .connect(target.host(), target.port()).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    AtomicLong ids = new AtomicLong();
    // callers queue their frames; one task on the event loop writes everything queued and flushes once
    Queue<ByteBuf> outbound = new ConcurrentLinkedQueue<>();
    AtomicBoolean drainScheduled = new AtomicBoolean();
    Runnable drain = () -> {
      drainScheduled.set(false);
      ByteBuf next;
      while ((next = outbound.poll()) != null) {
        channel.write(next, channel.voidPromise());
      }
      channel.flush();
    };
    byte[] payload = new byte[sizes.values().stream().mapToInt(EchoSizes.Size::request).max().orElse(0)];
    return new Client() {
      @Override
      public Operation operation(Workload workload) {
        AsyncOperation send = asyncOperation(workload);
        return seq -> {
          try {
            send.start(seq).toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
          }
        };
      }

      /** Queues the frame; the future completes on the event loop when the answer of the right size is in. */
      @Override
      public AsyncOperation asyncOperation(Workload workload) {
        EchoSizes.Size size = sizes.get(workload);
        return seq -> {
          long id = ids.incrementAndGet();
          CompletableFuture<Integer> answer = new CompletableFuture<>();
          pending.put(id, answer);
          ByteBuf out = channel.alloc().ioBuffer(16 + size.request());
          out.writeInt(12 + size.request()).writeLong(id).writeInt(size.response()).writeBytes(payload, 0,
              size.request());
          outbound.add(out);
          if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
          }
          return answer.thenApply(received -> {
            if (received != size.response()) {
              throw new IllegalStateException("echo returned " + received + " bytes, expected " + size.response());
            }
            return received;
          });
        };
      }

      @Override
      public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    };
  }

  static EventLoopGroup newGroup() {
    return new MultiThreadIoEventLoopGroup(
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }
}
