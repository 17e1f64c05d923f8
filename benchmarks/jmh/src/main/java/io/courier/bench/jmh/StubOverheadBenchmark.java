package io.courier.bench.jmh;

import io.courier.bench.model.NoOpUserService;
import io.courier.bench.model.Page;
import io.courier.bench.model.Payloads;
import io.courier.bench.model.User;
import io.courier.bench.model.UserService;
import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a Courier stub costs above the wire: the same calls made directly on the implementation and through a
 * stub over the in-process transport (arguments passed by reference, no serialization, no socket), so the
 * difference is the proxy, the invocation, the interceptor chain with its deadline, dispatch and the worker
 * hand-off. {@code -prof gc} gives the allocation per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StubOverheadBenchmark {

  private UserService direct;
  private UserService stub;
  private RpcServer server;
  private RpcClient client;

  @Setup(Level.Trial)
  public void setUp() {
    direct = new NoOpUserService();
    server = RpcServer.builder().host("jmh-stub-overhead").listen("inprocess", 0)
        .service(UserService.class, new NoOpUserService()).build().start();
    client = RpcClient.builder().transport("inprocess").address("jmh-stub-overhead:0").serializer("kryo").build();
    stub = client.create(UserService.class);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.close();
    server.close();
  }

  @Benchmark
  public boolean existUserDirect() {
    return direct.existUser(Payloads.EMAIL);
  }

  @Benchmark
  public boolean existUserStub() {
    return stub.existUser(Payloads.EMAIL);
  }

  @Benchmark
  public User getUserDirect() {
    return direct.getUser(42);
  }

  @Benchmark
  public User getUserStub() {
    return stub.getUser(42);
  }

  @Benchmark
  public Page<User> listUserDirect() {
    return direct.listUser(7);
  }

  @Benchmark
  public Page<User> listUserStub() {
    return stub.listUser(7);
  }
}
