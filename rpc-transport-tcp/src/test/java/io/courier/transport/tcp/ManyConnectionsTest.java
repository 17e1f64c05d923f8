package io.courier.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.RpcServerExtension;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The small version of the C10K run ({@code io.courier.bench.harness.C10k} in the benchmarks serves 10,000
 * connections from separate JVMs): one server serves 1,000 connections at once, from ordinary clients with
 * {@link TcpOptions#CONNECTIONS_PER_ENDPOINT} connections each, and every one of them answers calls.
 */
class ManyConnectionsTest {

  private static final int CLIENTS = 20;
  private static final int PER_CLIENT = 50;
  private static final int CONNECTIONS = CLIENTS * PER_CLIENT;

  private final Set<SocketAddress> callers = ConcurrentHashMap.newKeySet();

  /** The server, which notes the connection each call came on. */
  @RegisterExtension
  final RpcServerExtension server = RpcServerExtension.builder().listen("tcp")
      .service(EchoService.class, new EchoServiceImpl())
      .configure(builder -> builder.interceptor((call, next) -> {
        callers.add(call.remoteAddress());
        return next.proceed(call);
      }))
      .build();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService callersPool = Executors.newFixedThreadPool(8);

  @AfterEach
  void closeAll() throws Exception {
    callersPool.shutdownNow();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void oneServerServesAThousandConnectionsAtOnce() throws Exception {
    List<EchoService> stubs = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      RpcClient client = server.clientBuilder().serializer("kryo")
          .option(TcpOptions.CONNECTIONS_PER_ENDPOINT, PER_CLIENT)
          .option(TcpOptions.IO_THREADS, 1)
          .defaultTimeout(Duration.ofSeconds(30))
          .build();
      resources.add(client);
      stubs.add(client.create(EchoService.class));
    }
    AtomicInteger failures = new AtomicInteger();
    // A client's calls go round-robin over its connection slots and fill empty ones in the background: rounds of one
    // call per slot open every connection, then reach each of them.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int rounds = 0;
    while (callers.size() < CONNECTIONS && System.nanoTime() - deadline < 0) {
      List<Future<?>> done = new ArrayList<>();
      for (EchoService stub : stubs) {
        done.add(callersPool.submit(() -> {
          for (int i = 0; i < PER_CLIENT; i++) {
            if (!"ping".equals(stub.echo("ping"))) {
              failures.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      rounds++;
    }
    assertThat(failures.get()).isZero();
    assertThat(callers).as("connections that served a call after %d rounds", rounds).hasSize(CONNECTIONS);
  }
}
