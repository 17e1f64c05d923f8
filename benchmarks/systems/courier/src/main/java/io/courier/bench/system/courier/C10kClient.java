package io.courier.bench.system.courier;

import io.courier.bench.model.Payloads;
import io.courier.bench.model.UserService;
import io.courier.client.RpcClient;
import io.courier.transport.tcp.TcpOptions;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client process of the C10K run ({@code io.courier.bench.harness.C10k}): opens {@code connections} Courier TCP
 * connections to one server with ordinary {@link RpcClient}s — each with {@link TcpOptions#CONNECTIONS_PER_ENDPOINT}
 * 64 (the most) and one I/O thread — and makes calls until every connection has answered one, then holds them all
 * open. Line protocol on standard output and input:
 *
 * <pre>
 * java -cp bench-system.jar io.courier.bench.system.courier.C10kClient HOST:PORT CONNECTIONS
 *   prints OPEN clients=.. connections=.. calls=.. failed=.. millis=..   once every connection has served a call
 *   reads  CALL       makes one call over every connection again, all clients at once;
 *                     prints CALLED calls=.. failed=.. millis=..
 *   reads  STOP or end of input: closes the clients and exits
 * </pre>
 */
public final class C10kClient {

  static final int PER_CLIENT = 64;

  private C10kClient() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    String target = args[0];
    int connections = Integer.parseInt(args[1]);
    List<RpcClient> clients = new ArrayList<>();
    List<UserService> stubs = new ArrayList<>();
    for (int left = connections; left > 0; left -= PER_CLIENT) {
      RpcClient client = RpcClient.builder()
          .address(target)
          .serializer("kryo")
          .defaultTimeout(Duration.ofSeconds(60))
          .option(TcpOptions.CONNECTIONS_PER_ENDPOINT, Math.min(PER_CLIENT, left))
          .option(TcpOptions.IO_THREADS, 1)
          .option(TcpOptions.CONNECT_TIMEOUT, Duration.ofSeconds(30))
          .build();
      clients.add(client);
      stubs.add(client.create(UserService.class));
    }
    ExecutorService callers = Executors.newFixedThreadPool(32);
    long start = System.nanoTime();
    // Calls on a client go round-robin over its connection slots, and a call that meets an empty slot fills it in
    // the background; two rounds of one call per slot open every connection and make each of them answer.
    AtomicLong failed = new AtomicLong();
    long calls = round(callers, stubs, connections, failed) + round(callers, stubs, connections, failed);
    out.printf("OPEN clients=%d connections=%d calls=%d failed=%d millis=%d%n", clients.size(), connections, calls,
        failed.get(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("STOP")) {
      if (line.equals("CALL")) {
        long t0 = System.nanoTime();
        AtomicLong fails = new AtomicLong();
        long made = round(callers, stubs, connections, fails);
        out.printf("CALLED calls=%d failed=%d millis=%d%n", made, fails.get(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      }
    }
    callers.shutdownNow();
    clients.forEach(RpcClient::close);
    out.flush();
    Runtime.getRuntime().halt(0);
  }

  /** One call per connection slot of every client, the clients in parallel; returns the number of calls. */
  private static long round(ExecutorService callers, List<UserService> stubs, int connections, AtomicLong failed)
      throws Exception {
    List<Future<Integer>> done = new ArrayList<>();
    for (int c = 0; c < stubs.size(); c++) {
      UserService users = stubs.get(c);
      int slots = Math.min(PER_CLIENT, connections - c * PER_CLIENT);
      done.add(callers.submit(() -> {
        for (int i = 0; i < slots; i++) {
          try {
            if (!users.existUser(Payloads.EMAIL)) {
              failed.incrementAndGet();
            }
          } catch (RuntimeException e) {
            failed.incrementAndGet();
            System.err.println("call failed: " + e);
          }
        }
        return slots;
      }));
    }
    long calls = 0;
    for (Future<Integer> f : done) {
      calls += f.get(10, TimeUnit.MINUTES);
    }
    return calls;
  }
}
