package io.courier.bench.driver;

/**
 * A system under test: how to serve the benchmark's UserService with it, and how to call it. Implementations
 * are listed in {@code META-INF/services/io.courier.bench.driver.BenchSystem} of their system jar and chosen by
 * {@link #name()}; {@link ChildMain} runs one of them as a server or a client in a fresh JVM.
 *
 * <p>Everything slow (binding, connecting, discovery, stub creation) happens in {@link #startServer} and
 * {@link #connect}; the {@link Operation}s only call.
 */
public interface BenchSystem {

  /** The name on the command line and in results, for example {@code "courier-tcp-kryo"}. */
  String name();

  /** False for systems that run entirely inside the client JVM (the direct call). */
  default boolean needsServer() {
    return true;
  }

  /** Starts serving on {@code settings.port()} (0: any free port) and returns once it accepts calls. */
  RunningServer startServer(Endpoint settings) throws Exception;

  /** Connects to a server started by {@link #startServer} (found at {@code target}), ready to call. */
  Client connect(Endpoint target, int concurrency) throws Exception;

  /** A server that is accepting calls. */
  interface RunningServer extends AutoCloseable {
    /** The port it is bound to. */
    int port();

    /** Stops serving; waits a few seconds at most, and keeps the interrupt flag if interrupted. */
    @Override
    void close();
  }

  /** A connected client: one per child JVM, shared by all load threads, as an application would share it. */
  interface Client extends AutoCloseable {
    /** The call of {@code workload}, or an exception naming why this system cannot run it. */
    Operation operation(Workload workload);

    /**
     * The same call through the client's asynchronous API, or null where the system's client has none (the open loop
     * then makes blocking calls from caller threads).
     */
    default AsyncOperation asyncOperation(Workload workload) {
      return null;
    }

    /** Closes the connections; waits a few seconds at most, and keeps the interrupt flag if interrupted. */
    @Override
    void close();
  }

  /**
   * Where a server listens or a client connects. {@code registry} is a discovery address such as
   * {@code zookeeper://127.0.0.1:2181} when the harness runs one, else {@code null}: systems that support
   * discovery register or look up there during setup; the others ignore it and use host and port.
   */
  record Endpoint(String host, int port, String registry) {
    public String hostAndPort() {
      return host + ":" + port;
    }
  }
}
