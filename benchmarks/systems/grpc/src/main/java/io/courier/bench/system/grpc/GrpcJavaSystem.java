package io.courier.bench.system.grpc;

import com.google.protobuf.BoolValue;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import com.google.protobuf.UnsafeByteOperations;
import io.courier.bench.driver.BenchSystem;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.NoOpProtoUserService;
import io.courier.bench.model.Payloads;
import io.courier.bench.model.ProtoUserService;
import io.courier.bench.model.UserServiceCalls;
import io.courier.bench.model.proto.UserMessage;
import io.courier.bench.model.proto.UserPageMessage;
import io.courier.bench.model.proto.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java as a user gets it: a Netty server with the generated service base, a plaintext channel, a blocking
 * stub shared by all load threads, default executors, no interceptors, no deadline (grpc-java's default).
 */
public final class GrpcJavaSystem implements BenchSystem {

  @Override
  public String name() {
    return "grpc-java";
  }

  @Override
  public RunningServer startServer(Endpoint at) throws IOException {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(at.host(), at.port()))
        .addService(new UserServiceImpl())
        .build()
        .start();
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
    ManagedChannel channel = NettyChannelBuilder.forAddress(target.host(), target.port()).usePlaintext().build();
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
    return new Client() {
      @Override
      public Operation operation(Workload workload) {
        return UserServiceCalls.of(users, workload);
      }

      @Override
      public void close() {
        try {
          channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          channel.shutdownNow();
        }
      }
    };
  }
}
