package io.courier.bench.system.courier;

import io.courier.bench.driver.AsyncOperation;
import io.courier.bench.driver.BenchSystem;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.NoOpProtoUserService;
import io.courier.bench.model.NoOpUserService;
import io.courier.bench.model.Payloads;
import io.courier.bench.model.ProtoUserService;
import io.courier.bench.model.ProtoUserServiceAsync;
import io.courier.bench.model.UserService;
import io.courier.bench.model.UserServiceAsync;
import io.courier.bench.model.UserServiceCalls;
import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import java.time.Duration;

/**
 * One Courier deployment under test: a transport by name, a serializer by name, and the flavour of the service
 * that serializer carries (the bean {@link UserService}, or {@link ProtoUserService} for protobuf). Everything
 * else is Courier's default, as a user gets it: no interceptors, the default worker pool, one connection.
 *
 * <p>A new Courier system is one subclass with a no-argument constructor, listed in
 * {@code META-INF/services/io.courier.bench.driver.BenchSystem}, for example
 * {@code super("courier-http2-protobuf", "http2", "protobuf", Flavour.PROTOBUF)}; transport settings go in
 * {@link #configureClient} and {@link #configureServer}.
 */
public abstract class CourierSystem implements BenchSystem {

  /** The client's call timeout: long enough that a saturated 1 MiB echo is slow, not failed. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** Which interface the system serves. */
  public enum Flavour {
    /** {@link UserService} with the bean model, for kryo, hessian and JSON. */
    BEANS,
    /** {@link ProtoUserService} with the generated messages, for protobuf. */
    PROTOBUF
  }

  private final String name;
  private final String transport;
  private final String serializer;
  private final Flavour flavour;

  protected CourierSystem(String name, String transport, String serializer, Flavour flavour) {
    this.name = name;
    this.transport = transport;
    this.serializer = serializer;
    this.flavour = flavour;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RunningServer startServer(Endpoint at) {
    RpcServer.Builder builder = RpcServer.builder().host(at.host()).listen(transport, at.port());
    configureServer(builder);
    if (flavour == Flavour.PROTOBUF) {
      builder.service(ProtoUserService.class, new NoOpProtoUserService());
    } else {
      builder.service(UserService.class, new NoOpUserService());
    }
    Discovery.register(builder, at);
    RpcServer server = builder.build().start();
    int port = server.port(transport);
    return new RunningServer() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }

  @Override
  public Client connect(Endpoint target, int concurrency) {
    RpcClient.Builder builder = RpcClient.builder()
        .transport(transport)
        .serializer(serializer)
        .defaultTimeout(CALL_TIMEOUT);
    configureClient(builder);
    Discovery.locate(builder, target);
    RpcClient client = builder.build();
    try {
      if (flavour == Flavour.PROTOBUF) {
        ProtoUserService users = client.create(ProtoUserService.class);
        users.existUser(Payloads.EMAIL); // connect (and discover) now, not in the measured window
        ProtoUserServiceAsync async = client.create(ProtoUserServiceAsync.class);
        return new CourierClient(client, w -> UserServiceCalls.of(users, w), w -> UserServiceCalls.ofAsync(async, w));
      }
      UserService users = client.create(UserService.class);
      users.existUser(Payloads.EMAIL);
      UserServiceAsync async = client.create(UserServiceAsync.class);
      return new CourierClient(client, w -> UserServiceCalls.of(users, w), w -> UserServiceCalls.ofAsync(async, w));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** Transport settings of the server beyond Courier's defaults; none unless a system says otherwise. */
  protected void configureServer(RpcServer.Builder builder) {}

  /** Transport settings of the client beyond Courier's defaults; none unless a system says otherwise. */
  protected void configureClient(RpcClient.Builder builder) {}

  /** A stub with the blocking signatures for the closed loop, and one with {@code CompletableFuture}s for the open. */
  private record CourierClient(RpcClient client, java.util.function.Function<Workload, Operation> calls,
      java.util.function.Function<Workload, AsyncOperation> asyncCalls) implements Client {
    @Override
    public Operation operation(Workload workload) {
      return calls.apply(workload);
    }

    @Override
    public AsyncOperation asyncOperation(Workload workload) {
      return asyncCalls.apply(workload);
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
