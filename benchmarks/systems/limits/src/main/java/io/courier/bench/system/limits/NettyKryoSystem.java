package io.courier.bench.system.limits;

import io.courier.bench.driver.AsyncOperation;
import io.courier.bench.driver.BenchSystem;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.NoOpUserService;
import io.courier.bench.model.Page;
import io.courier.bench.model.User;
import io.courier.bench.model.UserService;
import io.courier.bench.model.UserServiceAsync;
import io.courier.bench.model.UserServiceCalls;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limit for the object workloads: the raw Netty round trip of {@link NettyEchoSystem} that also encodes and
 * decodes the workload's objects with Courier's kryo serializer, configured as Courier configures it (the same
 * {@code SerializerSet}, default allowlist plus the service's own types), and no framework: no stub, no invocation
 * pipeline, no dispatch table, no worker pool (the server answers on the I/O thread), no call metadata. The client
 * writes the arguments, the server reads them, calls {@link NoOpUserService} through a switch, writes the result, and
 * the client's event loop reads it back into objects before waking the caller, as Courier's TCP client does.
 * Whatever {@code courier-tcp-kryo} spends beyond this is the framework's. Frames:
 *
 * <pre>
 * request:  int32 length | int64 id | int8 method (the workload's ordinal) | kryo arguments
 * response: int32 length | int64 id | kryo result
 * </pre>
 */
public final class NettyKryoSystem implements BenchSystem {

  private static final int MAX_FRAME = 16 * 1024 * 1024;
  private static final long TIMEOUT_SECONDS = 30;

  @Override
  public String name() {
    return "netty-kryo";
  }

  /** Courier's kryo serializer with the service's types allowed, as a Courier server or client sets it up. */
  private static final class Codec {
    final Serializer kryo;
    final Method[] methods = new Method[Workload.values().length];

    Codec() {
      TypeAllowlist allowlist = TypeAllowlist.withDefaults();
      for (Workload w : Workload.values()) {
        Method m = method(w);
        methods[w.ordinal()] = m;
        for (Type t : m.getGenericParameterTypes()) {
          allowlist.allowType(t);
        }
        allowlist.allowType(m.getGenericReturnType());
      }
      this.kryo = SerializerSet.load(allowlist).byName("kryo");
    }

    Method method(Workload w) {
      String name = switch (w) {
        case EXIST_USER -> "existUser";
        case CREATE_USER -> "createUser";
        case GET_USER -> "getUser";
        case LIST_USER -> "listUser";
        case ECHO -> "echo";
      };
      for (Method m : UserService.class.getMethods()) {
        if (m.getName().equals(name)) {
          return m;
        }
      }
      throw new IllegalStateException("UserService has no method " + name);
    }
  }

  @Override
  public RunningServer startServer(Endpoint at) throws InterruptedException {
    Codec codec = new Codec();
    UserService users = new NoOpUserService();
    EventLoopGroup group = NettyEchoSystem.newGroup();
    Channel server = new ServerBootstrap()
        .group(group)
        .channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new FlushConsolidationHandler(256, true),
                new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4), new ServeHandler(codec, users));
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

  /** Reads the arguments, calls the service, writes the result; on the I/O thread. */
  private static final class ServeHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final Codec codec;
    private final UserService users;

    ServeHandler(Codec codec, UserService users) {
      this.codec = codec;
      this.users = users;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      long id = frame.readLong();
      Method method = codec.methods[frame.readByte()];
      Object[] args = codec.kryo.readArguments(frame, method.getGenericParameterTypes());
      Object result = switch (method.getName()) {
        case "existUser" -> users.existUser((String) args[0]);
        case "createUser" -> users.createUser((User) args[0]);
        case "getUser" -> users.getUser((Long) args[0]);
        case "listUser" -> users.listUser((Integer) args[0]);
        default -> users.echo((byte[]) args[0]);
      };
      ByteBuf out = ctx.alloc().ioBuffer();
      out.writeInt(0).writeLong(id);
      codec.kryo.write(out, result, method.getGenericReturnType());
      out.setInt(0, out.readableBytes() - 4);
      ctx.writeAndFlush(out);
    }
  }

  @Override
  public Client connect(Endpoint target, int concurrency) throws InterruptedException {
    Codec codec = new Codec();
    EventLoopGroup group = NettyEchoSystem.newGroup();
    Map<Long, Pending> pending = new ConcurrentHashMap<>();
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
                      Pending p = pending.remove(frame.readLong());
                      if (p != null) {
                        try {
                          p.answer.complete(codec.kryo.read(frame, p.returnType));
                        } catch (RuntimeException e) {
                          p.answer.completeExceptionally(e);
                        }
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
    Calls calls = new Calls(codec, channel, pending);
    UserService users = calls.asUserService();
    users.existUser("connect@example.com"); // the first call sets up the serializer, not in the measured window
    UserServiceAsync async = calls.asUserServiceAsync();
    return new Client() {
      @Override
      public Operation operation(Workload workload) {
        return UserServiceCalls.of(users, workload);
      }

      @Override
      public AsyncOperation asyncOperation(Workload workload) {
        return UserServiceCalls.ofAsync(async, workload);
      }

      @Override
      public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    };
  }

  /** A call waiting for its answer: the type to read it as, and where to put it. */
  private record Pending(Type returnType, CompletableFuture<Object> answer) {}

  /** The client's side: frames queued by the callers, written and flushed by one event-loop task. */
  private static final class Calls {
    private final Codec codec;
    private final Channel channel;
    private final Map<Long, Pending> pending;
    private final AtomicLong ids = new AtomicLong();
    private final Queue<ByteBuf> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain;

    Calls(Codec codec, Channel channel, Map<Long, Pending> pending) {
      this.codec = codec;
      this.channel = channel;
      this.pending = pending;
      this.drain = () -> {
        drainScheduled.set(false);
        ByteBuf next;
        while ((next = outbound.poll()) != null) {
          channel.write(next, channel.voidPromise());
        }
        channel.flush();
      };
    }

    Object call(Workload workload, Object argument) {
      CompletableFuture<Object> answer = start(workload, argument);
      try {
        return answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException(workload.id() + " failed", e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(workload.id() + " timed out", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    /** Sends the call; the future completes on the event loop with the decoded answer. */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> start(Workload workload, Object argument) {
      Method method = codec.methods[workload.ordinal()];
      long id = ids.incrementAndGet();
      CompletableFuture<Object> answer = new CompletableFuture<>();
      pending.put(id, new Pending(method.getGenericReturnType(), answer));
      ByteBuf out = channel.alloc().ioBuffer();
      out.writeInt(0).writeLong(id).writeByte(workload.ordinal());
      codec.kryo.writeArguments(out, new Object[] {argument}, method.getGenericParameterTypes());
      out.setInt(0, out.readableBytes() - 4);
      outbound.add(out);
      if (drainScheduled.compareAndSet(false, true)) {
        channel.eventLoop().execute(drain);
      }
      return (CompletableFuture<T>) answer;
    }

    UserServiceAsync asUserServiceAsync() {
      return new UserServiceAsync() {
        @Override
        public CompletableFuture<Boolean> existUser(String email) {
          return start(Workload.EXIST_USER, email);
        }

        @Override
        public CompletableFuture<Boolean> createUser(User user) {
          return start(Workload.CREATE_USER, user);
        }

        @Override
        public CompletableFuture<User> getUser(long id) {
          return start(Workload.GET_USER, id);
        }

        @Override
        public CompletableFuture<Page<User>> listUser(int pageNo) {
          return start(Workload.LIST_USER, pageNo);
        }

        @Override
        public CompletableFuture<byte[]> echo(byte[] data) {
          return start(Workload.ECHO, data);
        }
      };
    }

    UserService asUserService() {
      return new UserService() {
        @Override
        public boolean existUser(String email) {
          return (Boolean) call(Workload.EXIST_USER, email);
        }

        @Override
        public boolean createUser(User user) {
          return (Boolean) call(Workload.CREATE_USER, user);
        }

        @Override
        public User getUser(long id) {
          return (User) call(Workload.GET_USER, id);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Page<User> listUser(int pageNo) {
          return (Page<User>) call(Workload.LIST_USER, pageNo);
        }

        @Override
        public byte[] echo(byte[] data) {
          return (byte[]) call(Workload.ECHO, data);
        }
      };
    }
  }
}
