package io.courier.bench.jmh;

import io.courier.bench.model.NoOpUserService;
import io.courier.bench.model.Page;
import io.courier.bench.model.Payloads;
import io.courier.bench.model.User;
import io.courier.bench.model.UserService;
import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
 * The client side of a real call: a Courier stub with its defaults (TCP, kryo, deadline, cluster invoker) calling a
 * Courier server over a loopback TCP connection. The server runs in a <em>separate JVM</em> started by the setup,
 * so {@code -prof gc}'s {@code gc.alloc.rate.norm} is the allocation per call of the client alone: the calling
 * thread, the client's I/O thread and its timer (JMH sums every thread of its own JVM).
 *
 * <pre>
 * java -jar benchmarks/jmh/target/courier-jmh.jar TcpClientCallBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TcpClientCallBenchmark {

  private Process server;
  private RpcClient client;
  private UserService users;
  private User user;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    server = new ProcessBuilder(List.of(java, "-Xms256m", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        ServerMain.class.getName())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      server.destroyForcibly();
      throw new IllegalStateException("the server JVM did not start: " + line);
    }
    int port = Integer.parseInt(line.substring(5).trim());
    client = RpcClient.builder().address("127.0.0.1:" + port).serializer("kryo").build();
    users = client.create(UserService.class);
    user = Payloads.user(7);
    users.existUser(Payloads.EMAIL); // connect now
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException, InterruptedException {
    client.close();
    server.getOutputStream().close();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }

  @Benchmark
  public boolean existUser() {
    return users.existUser(Payloads.EMAIL);
  }

  @Benchmark
  public boolean createUser() {
    return users.createUser(user);
  }

  @Benchmark
  public User getUser() {
    return users.getUser(42);
  }

  @Benchmark
  public Page<User> listUser() {
    return users.listUser(7);
  }

  /** The server JVM: serves {@link UserService} on a free port, prints {@code PORT n}, stops at end of input. */
  public static final class ServerMain {
    public static void main(String[] args) throws IOException {
      RpcServer server = RpcServer.builder().host("127.0.0.1").port(0)
          .service(UserService.class, new NoOpUserService()).build().start();
      System.out.println("PORT " + server.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the benchmark to close our input
      }
      server.close();
    }
  }
}
