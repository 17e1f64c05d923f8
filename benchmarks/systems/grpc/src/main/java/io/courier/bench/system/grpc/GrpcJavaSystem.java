package io.courier.bench.system.grpc;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.BoolValue;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import com.google.protobuf.UnsafeByteOperations;
import io.courier.bench.driver.AsyncOperation;
import io.courier.bench.driver.BenchSystem;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.NoOpProtoUserService;
import io.courier.bench.model.Payloads;
import io.courier.bench.model.ProtoUserService;
import io.courier.bench.model.ProtoUserServiceAsync;
import io.courier.bench.model.UserServiceCalls;
import io.courier.bench.model.proto.UserMessage;
import io.courier.bench.model.proto.UserPageMessage;
import io.courier.bench.model.proto.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java serving the generated service base over Netty, plaintext, called through a blocking stub shared by all
 * load threads, no interceptors, no deadline (grpc-java's default). Two variants:
 *
 * <ul>
 *   <li>{@code grpc-java}: as grpc-java's own benchmarks run it. The server is built like
 *       {@code benchmarks/src/main/java/io/grpc/benchmarks/qps/AsyncServer.java#newServer} of grpc/grpc-java with
 *       {@code --directexecutor} and {@code --transport=netty_epoll}: {@code NettyServerBuilder.directExecutor()}
 *       (the service runs on the Netty event loop, no hand-off to an application executor), a boss
 *       {@code EpollEventLoopGroup} of 1 thread and a worker group of Netty's default size,
 *       {@code EpollServerSocketChannel}. The channel is built like {@code Utils.newClientChannel} in the same folder
 *       with {@code directExecutor} and epoll: {@code NettyChannelBuilder.directExecutor()}, an
 *       {@code EpollEventLoopGroup}, {@code EpollSocketChannel}. (A blocking stub runs its callbacks on the calling
 *       thread through its own {@code ThreadlessExecutor} whatever the channel's executor is, so on the client the
 *       setting changes little; it is set as the qps client sets it.) Falls back to NIO where epoll is missing.
 *   <li>{@code grpc-java-defaults}: what {@code NettyServerBuilder.forAddress(..).addService(..)} and
 *       {@code NettyChannelBuilder.forAddress(..).usePlaintext()} give: the server's default executor (a cached
 *       thread pool: one hand-off per call) and the channel's, Netty's default event loops.
 * </ul>
 */
public class GrpcJavaSystem implements BenchSystem {

  private final String name;
  private final boolean tuned;

  /** The variant grpc-java's qps benchmarks run: direct executors and epoll. */
  public GrpcJavaSystem() {
    this("grpc-java", true);
  }

  GrpcJavaSystem(String name, boolean tuned) {
    this.name = name;
    this.tuned = tuned;
  }

  /** grpc-java at its out-of-the-box defaults. */
  public static final class Defaults extends GrpcJavaSystem {
    public Defaults() {
      super("grpc-java-defaults", false);
    }
  }

  @Override
  public String name() {
    return name;
  }

  private boolean epoll() {
    return tuned && Epoll.isAvailable();
  }

  /** A {@code ListenableFuture} as a {@code CompletableFuture}, completed where the call completes. */
  private static <T> CompletableFuture<T> adapt(ListenableFuture<T> future) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Futures.addCallback(future, new FutureCallback<T>() {
      @Override
      public void onSuccess(T value) {
        result.complete(value);
      }

      @Override
      public void onFailure(Throwable t) {
        result.completeExceptionally(t);
      }
    }, MoreExecutors.directExecutor());
    return result;
  }

  @Override
  public RunningServer startServer(Endpoint at) throws IOException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(at.host(), at.port()))
        .addService(new UserServiceImpl());
    if (tuned) {
      builder.directExecutor();
      if (epoll()) {
        DefaultThreadFactory threads = new DefaultThreadFactory("server-elg-", true);
        builder.bossEventLoopGroup(new EpollEventLoopGroup(1, threads))
            .workerEventLoopGroup(new EpollEventLoopGroup(0, threads))
            .channelType(EpollServerSocketChannel.class);
      }
    }
    Server server = builder.build().start();
    return new RunningServer() {
      @Override
      public int port() {
        return server.getPort();
      }

      @Override
      public void close() {
        try {
          server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          server.shutdownNow();
        }
      }
    };
  }

  /** The generated service base over the no-op service. */
  private static final class UserServiceImpl extends UserServiceGrpc.UserServiceImplBase {
    private final ProtoUserService users = new NoOpProtoUserService();

    @Override
    public void existUser(StringValue request, StreamObserver<BoolValue> response) {
      response.onNext(BoolValue.of(users.existUser(request.getValue())));
      response.onCompleted();
    }

    @Override
    public void createUser(UserMessage request, StreamObserver<BoolValue> response) {
      response.onNext(BoolValue.of(users.createUser(request)));
      response.onCompleted();
    }

    @Override
    public void getUser(Int64Value request, StreamObserver<UserMessage> response) {
      response.onNext(users.getUser(request.getValue()));
      response.onCompleted();
    }

    @Override
    public void listUser(Int32Value request, StreamObserver<UserPageMessage> response) {
      response.onNext(users.listUser(request.getValue()));
      response.onCompleted();
    }

    @Override
    public void echo(BytesValue request, StreamObserver<BytesValue> response) {
      response.onNext(request);
      response.onCompleted();
    }
  }

  @Override
  public Client connect(Endpoint target, int concurrency) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(target.host(), target.port()).usePlaintext();
    EventLoopGroup group = epoll() ? new EpollEventLoopGroup(0, new DefaultThreadFactory("client-elg-", true)) : null;
    if (tuned) {
      builder.directExecutor();
    }
    if (group != null) {
      builder.eventLoopGroup(group).channelType(EpollSocketChannel.class);
    }
    ManagedChannel channel = builder.build();
    UserServiceGrpc.UserServiceBlockingStub stub = UserServiceGrpc.newBlockingStub(channel);
    ProtoUserService users = new ProtoUserService() {
      @Override
      public boolean existUser(String email) {
        return stub.existUser(StringValue.of(email)).getValue();
      }

      @Override
      public boolean createUser(UserMessage user) {
        return stub.createUser(user).getValue();
      }

      @Override
      public UserMessage getUser(long id) {
        return stub.getUser(Int64Value.of(id));
      }

      @Override
      public UserPageMessage listUser(int pageNo) {
        return stub.listUser(Int32Value.of(pageNo));
      }

      @Override
      public byte[] echo(byte[] data) {
        return stub.echo(BytesValue.of(UnsafeByteOperations.unsafeWrap(data))).getValue().toByteArray();
      }
    };
    try {
      users.existUser(Payloads.EMAIL); // connect now, not in the measured window
    } catch (RuntimeException e) {
      channel.shutdownNow();
      throw e;
    }
    UserServiceGrpc.UserServiceFutureStub futures = UserServiceGrpc.newFutureStub(channel);
    ProtoUserServiceAsync async = new ProtoUserServiceAsync() {
      @Override
      public CompletableFuture<Boolean> existUser(String email) {
        return adapt(futures.existUser(StringValue.of(email))).thenApply(BoolValue::getValue);
      }

      @Override
      public CompletableFuture<Boolean> createUser(UserMessage user) {
        return adapt(futures.createUser(user)).thenApply(BoolValue::getValue);
      }

      @Override
      public CompletableFuture<UserMessage> getUser(long id) {
        return adapt(futures.getUser(Int64Value.of(id)));
      }

      @Override
      public CompletableFuture<UserPageMessage> listUser(int pageNo) {
        return adapt(futures.listUser(Int32Value.of(pageNo)));
      }

      @Override
      public CompletableFuture<byte[]> echo(byte[] data) {
        return adapt(futures.echo(BytesValue.of(UnsafeByteOperations.unsafeWrap(data))))
            .thenApply(b -> b.getValue().toByteArray());
      }
    };
    return new Client() {
      @Override
      public Operation operation(Workload workload) {
        return UserServiceCalls.of(users, workload);
      }

      /** The open loop's calls through grpc-java's future stub (completed on the channel's executor). */
      @Override
      public AsyncOperation asyncOperation(Workload workload) {
        return UserServiceCalls.ofAsync(async, workload);
      }

      @Override
      public void close() {
        try {
          channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          channel.shutdownNow();
          if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
          }
        }
      }
    };
  }
}
