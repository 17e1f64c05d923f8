package io.courier.server;

import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.courier.console.Console;
import io.courier.console.ConsoleOptions;
import io.courier.internal.common.LocalAddresses;
import io.courier.internal.common.SharedTimer;
import io.courier.internal.common.WorkerPool;
import io.courier.internal.console.ConsoleHandler;
import io.courier.internal.console.ConsoleMetrics;
import io.courier.internal.server.ConnectionPolicy;
import io.courier.internal.server.ServerDispatcher;
import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.transport.ByteBudget;
import io.courier.transport.ServerTransport;
import io.courier.transport.TlsConfig;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;
import io.courier.transport.TransportOption;
import io.courier.transport.TransportOptions;
import io.courier.transport.Transports;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves exported service implementations on one or more transports.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder()
 *     .port(7070)
 *     .service(UserService.class, new UserServiceImpl())
 *     .build()
 *     .start();
 * ...
 * server.close(); // stop accepting, finish calls in flight, close
 * }</pre>
 *
 * <p>With a registry ({@link Builder#registry(String)}), the server registers every exported service once its
 * listeners are bound, and withdraws the registrations first thing when it shuts down, before it stops accepting.
 * A framework that announces a server only once the whole application is ready sets
 * {@link Builder#registerOnStart(boolean) registerOnStart(false)} and calls {@link #register()} and
 * {@link #deregister()} itself.
 *
 * <p>Calls run on a bounded worker pool ({@value #DEFAULT_WORKER_THREADS} threads and a queue of
 * {@value #DEFAULT_WORKER_QUEUE} by default): when every worker is busy and the queue is full a new call fails at once
 * with {@code RESOURCE_EXHAUSTED} instead of waiting. Workers are woken sparingly (a burst of requests wakes one idle
 * worker, which wakes another only if calls still wait while it runs one), so a blocking service method never holds up
 * the calls queued behind it, and fast ones do not pay a thread wake-up each; idle workers end after 60 seconds.
 */
public final class RpcServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

  public static final int DEFAULT_WORKER_THREADS = 200;
  public static final int DEFAULT_WORKER_QUEUE = 1024;
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(10);
  /** Request (and, separately, response) bytes a server holds at most: a quarter of the maximum heap, at most 1 GiB. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
  /** Request (and response) bytes a server holds at most for one connection: 64 MiB. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES_PER_CONNECTION = 64L << 20;

  private final List<Listener> listeners;
  private final List<ServerDispatcher.Export> exports;
  private final List<ServerInterceptor> interceptors;
  private final TypeAllowlist allowlist;
  private final List<SerializerProvider> serializerProviders;
  private final TransportOptions options;
  private final Duration gracePeriod;
  private final int workerThreads;
  private final int workerQueue;
  private final int maxWorkerCallsPerConnection;
  private final long maxBufferedBytes;
  private final long maxBufferedBytesPerConnection;
  private final List<Runnable> shutdownHooks;
  private final String bindHost;
  private final String registryAddress;
  private final Registry sharedRegistry;
  private final String advertisedHost;
  private final int weight;
  private final Map<String, String> instanceMetadata;
  private final boolean registerOnStart;
  private final ConsoleOptions consoleOptions; // null: no console
  private final ConsoleMetrics consoleMetrics; // null: no console

  private final Object lock = new Object();
  private State state = State.NEW; // guarded by lock
  private Timer timer;
  private WorkerPool workers;
  private ServerDispatcher dispatcher;
  private final Map<Listener, ServerTransport> running = new LinkedHashMap<>();
  private CompletableFuture<Void> termination;
  private Registry registry; // guarded by lock; set while registered
  private boolean ownsRegistry; // guarded by lock
  private List<ServiceInstance> registered = List.of(); // guarded by lock
  private List<String> serializerNames = List.of(); // guarded by lock; set by start
  private ConsoleHandler console; // set by start when the console is on

  private enum State { NEW, RUNNING, SHUTTING_DOWN, TERMINATED }

  private record Listener(TransportFactory factory, String host, int port) {
    String describe() {
      return factory.name() + " on " + host + ":" + port;
    }
  }

  private RpcServer(Builder b) {
    List<Listener> bound = new ArrayList<>();
    for (Listener l : b.listeners) {
      bound.add(new Listener(l.factory(), b.host, l.port()));
    }
    this.listeners = List.copyOf(bound);
    this.exports = List.copyOf(b.exports);
    this.consoleOptions = b.consoleOptions;
    this.consoleMetrics = b.consoleOptions != null ? new ConsoleMetrics() : null;
    List<ServerInterceptor> all = new ArrayList<>();
    if (consoleMetrics != null) {
      all.add(new ServerMetricsInterceptor(consoleMetrics)); // first: it times every call the others let through
    }
    all.addAll(b.interceptors);
    this.interceptors = List.copyOf(all);
    this.allowlist = b.allowlist;
    this.serializerProviders = List.copyOf(b.serializerProviders);
    this.options = b.options;
    this.gracePeriod = b.gracePeriod;
    this.workerThreads = b.workerThreads;
    this.workerQueue = b.workerQueue;
    this.maxWorkerCallsPerConnection = b.maxWorkerCallsPerConnection > 0 ? b.maxWorkerCallsPerConnection
        : Math.max(1, b.workerThreads / 2);
    this.maxBufferedBytes = b.maxBufferedBytes;
    this.maxBufferedBytesPerConnection = Math.min(b.maxBufferedBytes, b.maxBufferedBytesPerConnection);
    this.shutdownHooks = List.copyOf(b.shutdownHooks);
    this.bindHost = b.host;
    this.registryAddress = b.registryAddress;
    this.sharedRegistry = b.registry;
    this.advertisedHost = b.advertisedHost;
    this.weight = b.weight;
    this.instanceMetadata = Map.copyOf(b.metadata);
    this.registerOnStart = b.registerOnStart;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects to the registry if one is named by address, binds every listener, starts serving and registers every
   * exported service (unless {@link Builder#registerOnStart(boolean) registerOnStart(false)}). If a listener cannot
   * bind or registration fails, what was started is closed again and the exception names the address.
   *
   * @return this server
   * @throws io.courier.registry.RegistryException if the registry named by address cannot be reached
   */
  public RpcServer start() {
    synchronized (lock) {
      if (state != State.NEW) {
        throw new IllegalStateException("server already started");
      }
      for (ServerDispatcher.Export export : exports) {
        for (MethodDescriptor method : export.descriptor().methods()) {
          for (Type type : method.requestTypes()) {
            allowlist.allowType(type);
          }
          allowlist.allowType(method.responseType());
        }
      }
      SerializerSet serializers = SerializerSet.load(allowlist, serializerProviders);
      timer = SharedTimer.acquire();
      workers = new WorkerPool(workerThreads, workerQueue, 60, TimeUnit.SECONDS,
          new DefaultThreadFactory("courier-worker", true));
      try {
        if (registryAddress != null) {
          registry = Registries.connect(registryAddress);
          ownsRegistry = true;
        } else {
          registry = sharedRegistry;
        }
        dispatcher = new ServerDispatcher(exports, interceptors, workers,
            "the worker pool (" + workerThreads + " threads, queue " + workerQueue + ")", timer,
            new ConnectionPolicy(maxWorkerCallsPerConnection,
                ByteBudget.of("the server's request budget (RpcServer.Builder.maxBufferedBytes)", maxBufferedBytes),
                ByteBudget.of("the server's response budget (RpcServer.Builder.maxBufferedBytes)", maxBufferedBytes),
                maxBufferedBytesPerConnection));
        if (consoleOptions != null) {
          console = new ConsoleHandler(new ServerConsoleHost(this, dispatcher), consoleOptions, consoleMetrics,
              timer);
        }
        // a console the application serves is not served by the listeners too (one may be a public RPC port)
        TransportContext context = new TransportContext(serializers, options, timer,
            consoleOptions != null && consoleOptions.servedByApplication() ? null : console);
        for (Listener listener : listeners) {
          ServerTransport transport = listener.factory().newServerTransport(context);
          running.put(listener, transport);
          transport.start(InetSocketAddress.createUnresolved(listener.host(), listener.port()), dispatcher);
          log.info("Courier server listening: {} ({} services)", transport.localAddress(), exports.size());
        }
        if (console != null && !consoleOptions.servedByApplication()
            && running.values().stream().allMatch(t -> t.restRoutes() == null)) {
          throw new IllegalStateException("the console is on, and none of this server's listeners " + listeners.stream()
              .map(Listener::describe).toList() + " serves REST, where it is served (expected: a rest listener, an "
              + "http2 listener with Http2Options.HTTP1_HANDLER = new RestBinding(), or "
              + "ConsoleOptions.servedByApplication(true) when the application serves it)");
        }
        serializerNames = serializers.names();
        if (registry != null && registerOnStart) {
          registerAll();
        }
        if (console != null) {
          console.start();
        }
      } catch (RuntimeException | Error e) {
        if (console != null) {
          console.close();
        }
        withdrawRegistrations();
        running.values().forEach(ServerTransport::close);
        running.clear();
        workers.shutdownNow();
        SharedTimer.release(timer);
        state = State.TERMINATED;
        throw e;
      }
      state = State.RUNNING;
      return this;
    }
  }

  /** The bound port of the first listener. */
  public int port() {
    return addresses().get(0).getPort();
  }

  /** The bound port of the first listener of {@code transport}. */
  public int port(String transport) {
    synchronized (lock) {
      for (Map.Entry<Listener, ServerTransport> e : running.entrySet()) {
        if (e.getKey().factory().name().equals(transport)) {
          return e.getValue().localAddress().getPort();
        }
      }
    }
    throw new IllegalArgumentException("no running " + transport + " listener");
  }

  /** Whether the server serves calls: started, and neither shutting down (draining) nor stopped. */
  public boolean isServing() {
    synchronized (lock) {
      return state == State.RUNNING;
    }
  }

  /** The bound addresses, in listener order. */
  public List<InetSocketAddress> addresses() {
    synchronized (lock) {
      if (state != State.RUNNING && state != State.SHUTTING_DOWN) {
        throw new IllegalStateException("server is not running (state " + state + ")");
      }
      List<InetSocketAddress> addresses = new ArrayList<>();
      running.values().forEach(t -> addresses.add(t.localAddress()));
      return addresses;
    }
  }

  /** The registrations this server holds: one per exported service while it runs with a registry, else none. */
  public List<ServiceInstance> registrations() {
    synchronized (lock) {
      return registered;
    }
  }

  /**
   * Registers every exported service in the registry, for a server built with
   * {@link Builder#registerOnStart(boolean) registerOnStart(false)} (or again after {@link #deregister()}). Does
   * nothing if the services are registered already.
   *
   * @return this server
   * @throws IllegalStateException if the server is not running or has no registry
   */
  public RpcServer register() {
    synchronized (lock) {
      if (state != State.RUNNING) {
        throw new IllegalStateException("server is not running (state " + state + "; expected: register() after"
            + " start() and before shutdown)");
      }
      if (registry == null) {
        throw new IllegalStateException("no registry configured (expected: RpcServer.builder().registry(...))");
      }
      if (registered.isEmpty()) {
        registerAll();
      }
      return this;
    }
  }

  /**
   * Withdraws every registration and keeps serving: consumers stop choosing this server while its calls go on. The
   * first step of a shutdown that a framework orders itself; {@link #shutdown} does it anyway. Never throws;
   * idempotent.
   */
  public void deregister() {
    withdraw(false);
  }

  // guarded by lock; after every listener is bound
  private void registerAll() {
    String host = advertisedHost != null ? advertisedHost : LocalAddresses.advertisedHost(bindHost);
    Map<String, Integer> ports = new LinkedHashMap<>();
    running.forEach((listener, transport) ->
        ports.putIfAbsent(listener.factory().name(), transport.localAddress().getPort()));
    Instant startTime = Instant.now();
    List<ServiceInstance> made = new ArrayList<>();
    for (ServerDispatcher.Export export : exports) {
      ServiceDescriptor d = export.descriptor();
      ServiceOptions o = export.options();
      ServiceInstance.Builder b = ServiceInstance.builder(d.name())
          .version(o.version() != null ? o.version() : d.version())
          .group(o.group() != null ? o.group() : d.group()).host(host)
          .serializers(serializerNames).weight(weight).metadata(instanceMetadata).startTime(startTime);
      ports.forEach(b::port);
      made.add(b.build());
    }
    for (ServiceInstance instance : made) {
      registry.register(instance);
      registered = append(registered, instance);
    }
    log.info("registered {} services at {} {} in {}", made.size(), host, ports, registry.describe());
  }

  /** Withdraws every registration, then closes the registry if this server created it. Never throws. */
  private void withdrawRegistrations() {
    withdraw(true);
  }

  /** Withdraws every registration; with {@code release}, also lets go of the registry (closing an owned one). */
  private void withdraw(boolean release) {
    Registry r;
    List<ServiceInstance> toWithdraw;
    boolean owned;
    synchronized (lock) {
      r = registry;
      toWithdraw = registered;
      owned = ownsRegistry && release;
      registered = List.of();
      if (release) {
        registry = null;
        ownsRegistry = false;
      }
    }
    if (r == null) {
      return;
    }
    for (ServiceInstance instance : toWithdraw) {
      try {
        r.unregister(instance);
      } catch (RuntimeException e) {
        log.warn("could not withdraw {} from {}; it disappears when the registry session ends", instance,
            r.describe(), e);
      }
    }
    if (owned) {
      try {
        r.close();
      } catch (RuntimeException e) {
        log.warn("closing {} failed", r.describe(), e);
      }
    }
  }

  private static List<ServiceInstance> append(List<ServiceInstance> list, ServiceInstance instance) {
    List<ServiceInstance> copy = new ArrayList<>(list);
    copy.add(instance);
    return List.copyOf(copy);
  }

  /** The exported services. */
  public List<ServiceDescriptor> services() {
    return exports.stream().map(ServerDispatcher.Export::descriptor).toList();
  }

  /** Calls accepted and not yet answered. */
  public int inFlightCalls() {
    ServerDispatcher d;
    synchronized (lock) {
      d = dispatcher;
    }
    return d == null ? 0 : d.inFlight();
  }

  /**
   * The console ({@link Builder#console}), for an application that serves it itself ({@link
   * ConsoleOptions.Builder#servedByApplication}); {@code null} when it is off or before {@link #start}.
   */
  public Console console() {
    synchronized (lock) {
      return console;
    }
  }

  // --- what the console reads and does (ServerConsoleHost)

  String stateName() {
    synchronized (lock) {
      return state == State.NEW ? "STARTING" : state.name();
    }
  }

  boolean isRegistered() {
    synchronized (lock) {
      return !registered.isEmpty();
    }
  }

  Registry registry() {
    synchronized (lock) {
      return registry;
    }
  }

  /** The bound address of each listener by transport name (the first of a name), in listener order. */
  Map<String, InetSocketAddress> addressesByTransport() {
    synchronized (lock) {
      Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
      running.forEach((listener, transport) -> {
        if (transport.localAddress() != null) {
          addresses.putIfAbsent(listener.factory().name(), transport.localAddress());
        }
      });
      return addresses;
    }
  }

  /** The version and group {@code service} is exported (and registered) with; empty strings for none. */
  String[] versionAndGroup(ServiceDescriptor service) {
    for (ServerDispatcher.Export export : exports) {
      if (export.descriptor() == service) {
        ServiceOptions o = export.options();
        String version = o.version() != null ? o.version() : service.version();
        String group = o.group() != null ? o.group() : service.group();
        return new String[] {version == null ? "" : version, group == null ? "" : group};
      }
    }
    return new String[] {"", ""};
  }

  /** How the first listener that serves REST routes a method, or {@code null} if none does. */
  Function<MethodDescriptor, String> restRoutes() {
    synchronized (lock) {
      return running.values().stream().map(ServerTransport::restRoutes).filter(Objects::nonNull).findFirst()
          .orElse(null);
    }
  }

  /** The host this server registers under. */
  String registeredHost() {
    return advertisedHost != null ? advertisedHost : LocalAddresses.advertisedHost(bindHost);
  }

  /** The first listener's transport, which the console's try-it client uses. */
  TransportFactory firstTransport() {
    return listeners.get(0).factory();
  }

  TransportOptions options() {
    return options;
  }

  ConsoleOptions consoleOptions() {
    return consoleOptions;
  }

  Duration gracePeriod() {
    return gracePeriod;
  }

  /**
   * Shuts down gracefully: withdraws the registrations (and closes a registry this server created), runs the
   * shutdown hooks, stops accepting, lets calls in flight finish for up to {@code grace} — service methods still
   * running included, whether or not their callers still wait, on every transport alike — then closes connections
   * and stops the workers. Idempotent: later calls return the same future.
   */
  public CompletableFuture<Void> shutdown(Duration grace) {
    List<ServerTransport> transports;
    ServerDispatcher calls;
    synchronized (lock) {
      if (termination != null) {
        return termination;
      }
      if (state == State.NEW) {
        state = State.TERMINATED;
        termination = CompletableFuture.completedFuture(null);
        return termination;
      }
      state = State.SHUTTING_DOWN;
      transports = new ArrayList<>(running.values());
      calls = dispatcher;
      termination = new CompletableFuture<>();
    }
    withdrawRegistrations();
    if (console != null) {
      console.close(); // its try-it client's connection to this server would hold up the drain
    }
    for (Runnable hook : shutdownHooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        log.warn("a shutdown hook failed; shutting down anyway", e);
      }
    }
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (ServerTransport transport : transports) {
      closing.add(transport.shutdown(grace).exceptionally(e -> {
        log.warn("graceful shutdown of {} failed", transport.localAddress(), e);
        transport.close();
        return null;
      }));
    }
    CompletableFuture<Void> result = termination;
    // Every transport's connections are drained or closed; service methods still running (their callers may have given
    // up: a deadline does not stop a thread) get the rest of the grace period, on every transport alike.
    long graceEnds = System.nanoTime() + grace.toNanos();
    CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
        .thenCompose(v -> calls.whenIdle().completeOnTimeout(null,
            Math.max(0, graceEnds - System.nanoTime()), TimeUnit.NANOSECONDS))
        .whenComplete((v, e) -> {
          workers.shutdown();
          SharedTimer.release(timer);
          synchronized (lock) {
            state = State.TERMINATED;
          }
          result.complete(null);
        });
    return result;
  }

  /** {@link #shutdown} with the builder's grace period, waiting for it to finish. */
  @Override
  public void close() {
    CompletableFuture<Void> done = shutdown(gracePeriod);
    try {
      done.get(gracePeriod.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeNow();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("server did not shut down in time; closing connections now", e);
      closeNow();
    }
  }

  private void closeNow() {
    synchronized (lock) {
      running.values().forEach(ServerTransport::close);
    }
    if (workers != null) {
      workers.shutdownNow();
    }
  }

  /** Configures an {@link RpcServer}; {@link #build()} validates. */
  public static final class Builder {
    private final List<Listener> listeners = new ArrayList<>();
    private final List<ServerDispatcher.Export> exports = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private final TypeAllowlist allowlist = TypeAllowlist.withDefaults();
    private final List<SerializerProvider> serializerProviders = new ArrayList<>();
    private final List<Runnable> shutdownHooks = new ArrayList<>();
    private TransportOptions options = TransportOptions.DEFAULT;
    private String host = "0.0.0.0";
    private String registryAddress;
    private Registry registry;
    private String advertisedHost;
    private int weight = ServiceInstance.DEFAULT_WEIGHT;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
    private int workerThreads = DEFAULT_WORKER_THREADS;
    private int workerQueue = DEFAULT_WORKER_QUEUE;
    private int maxWorkerCallsPerConnection; // 0: half the workers
    private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
    private long maxBufferedBytesPerConnection = DEFAULT_MAX_BUFFERED_BYTES_PER_CONNECTION;
    private boolean registerOnStart = true;
    private ConsoleOptions consoleOptions;

    private Builder() {}

    /**
     * Turns the console on ({@code docs/console.md}): a web page and JSON endpoints at {@value Console#PATH}/ on the
     * listeners that serve REST, showing the services, their providers and figures, with try-it and operator actions.
     * Off by default; {@code options} say who may reach it (loopback callers only by default).
     */
    public Builder console(ConsoleOptions options) {
      this.consoleOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Listens with the {@code tcp} transport on {@code port} (0 picks a free port). */
    public Builder port(int port) {
      return listen("tcp", port);
    }

    /** Adds a listener of the named transport on {@code port}; call once per transport. */
    public Builder listen(String transport, int port) {
      return listen(Transports.find(transport), port);
    }

    /** Adds a listener of {@code factory}'s transport on {@code port}. */
    public Builder listen(TransportFactory factory, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      listeners.add(new Listener(Objects.requireNonNull(factory, "factory"), null, port));
      return this;
    }

    /** The address listeners bind; default {@code 0.0.0.0} (every interface). */
    public Builder host(String bindHost) {
      this.host = Objects.requireNonNull(bindHost, "bindHost");
      return this;
    }

    /**
     * Registers every exported service in the registry at {@code address} ({@code zookeeper://host:port[/root]},
     * {@code embedded}, ...; see {@link Registries}) once the listeners are bound. The server connects when it
     * starts and owns that registry: it closes it after withdrawing its registrations on shutdown.
     */
    public Builder registry(String address) {
      this.registryAddress = Objects.requireNonNull(address, "address");
      this.registry = null;
      return this;
    }

    /**
     * Registers every exported service in {@code sharedRegistry}, which the caller owns: on shutdown the server
     * withdraws its registrations and leaves the registry open.
     */
    public Builder registry(Registry sharedRegistry) {
      this.registry = Objects.requireNonNull(sharedRegistry, "registry");
      this.registryAddress = null;
      return this;
    }

    /**
     * Whether {@link RpcServer#start()} registers the services (default {@code true}). With {@code false} the server
     * binds and serves but stays unannounced until {@link RpcServer#register()} is called — for frameworks that
     * register once the whole application is ready.
     */
    public Builder registerOnStart(boolean register) {
      this.registerOnStart = register;
      return this;
    }

    /**
     * The host registered for callers to connect to; default the bind host if it is a specific address, else a
     * non-loopback address of this machine (a site-local IPv4 address first).
     */
    public Builder advertisedHost(String hostForCallers) {
      if (hostForCallers == null || hostForCallers.isBlank()) {
        throw new IllegalArgumentException("advertisedHost: '" + hostForCallers + "' (expected: a host name or IP"
            + " address)");
      }
      this.advertisedHost = hostForCallers.trim();
      return this;
    }

    /**
     * The registered weight: this server's share of calls under weighted balancers, relative to others; 1..1000000,
     * default {@value ServiceInstance#DEFAULT_WEIGHT}.
     */
    public Builder weight(int registeredWeight) {
      if (registeredWeight < 1 || registeredWeight > ServiceInstance.MAX_WEIGHT) {
        throw new IllegalArgumentException("weight: " + registeredWeight + " (expected: 1.."
            + ServiceInstance.MAX_WEIGHT + ")");
      }
      this.weight = registeredWeight;
      return this;
    }

    /** Adds a free-form label to the registrations, for example {@code metadata("zone", "eu-1")}. */
    public Builder metadata(String key, String value) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("metadata key: '" + key + "' (expected: a non-blank string)");
      }
      metadata.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Exports {@code implementation} as the service {@code type} describes. */
    public <T> Builder service(Class<T> type, T implementation) {
      return service(type, implementation, ServiceOptions.DEFAULT);
    }

    /** Exports {@code implementation} with per-service options. */
    public <T> Builder service(Class<T> type, T implementation, ServiceOptions serviceOptions) {
      Objects.requireNonNull(implementation, "implementation");
      if (!type.isInstance(implementation)) {
        throw new IllegalArgumentException(implementation.getClass().getName() + " does not implement "
            + type.getName());
      }
      exports.add(new ServerDispatcher.Export(ServiceDescriptor.of(type), implementation,
          Objects.requireNonNull(serviceOptions, "serviceOptions")));
      return this;
    }

    /** Adds an interceptor for every service; they run in the order added. */
    public Builder interceptor(ServerInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** The number of worker threads; default {@value #DEFAULT_WORKER_THREADS}. */
    public Builder workerThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("workerThreads: " + threads + " (expected: >= 1)");
      }
      this.workerThreads = threads;
      return this;
    }

    /**
     * How many calls may wait for a worker; default {@value RpcServer#DEFAULT_WORKER_QUEUE}; 0 refuses a call as soon
     * as every worker is busy.
     */
    public Builder workerQueue(int capacity) {
      if (capacity < 0) {
        throw new IllegalArgumentException("workerQueue: " + capacity + " (expected: >= 0)");
      }
      this.workerQueue = capacity;
      return this;
    }

    /**
     * Most calls of one connection that occupy a worker (running, or queued in the pool) at once; its other calls wait
     * for one of them to leave its worker, in order, so that one client cannot take every worker. Default half the
     * {@linkplain #workerThreads workers}.
     */
    public Builder maxWorkerCallsPerConnection(int calls) {
      if (calls < 1) {
        throw new IllegalArgumentException("maxWorkerCallsPerConnection: " + calls + " (expected: >= 1)");
      }
      this.maxWorkerCallsPerConnection = calls;
      return this;
    }

    /**
     * Most bytes the server holds for requests — received and not yet decoded, including frames and messages still
     * arriving — and, separately, for responses — encoded and not yet on the wire; in all, and for one connection. A
     * call that would need more fails with {@code RESOURCE_EXHAUSTED} instead of being buffered, so that no peer can
     * drive the server out of memory. Defaults: a quarter of the maximum heap, at most 1 GiB
     * ({@value #DEFAULT_MAX_BUFFERED_BYTES_PER_CONNECTION} bytes per connection).
     */
    public Builder maxBufferedBytes(long total, long perConnection) {
      if (total < 1024 * 1024 || perConnection < 64 * 1024 || perConnection > total) {
        throw new IllegalArgumentException("maxBufferedBytes: " + total + ", " + perConnection
            + " (expected: total >= 1 MiB, 64 KiB <= perConnection <= total)");
      }
      this.maxBufferedBytes = total;
      this.maxBufferedBytesPerConnection = perConnection;
      return this;
    }

    /** How long {@link RpcServer#close()} lets calls in flight finish; default 10 seconds. */
    public Builder gracePeriod(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("gracePeriod: " + grace + " (expected: >= 0)");
      }
      this.gracePeriod = grace;
      return this;
    }

    /** Lets serializers instantiate {@code type}, beyond what service signatures name. */
    public Builder allowClass(Class<?> type) {
      allowlist.allowClass(type);
      return this;
    }

    /** Lets serializers instantiate classes of one of your packages. */
    public Builder allowPackage(String packageName) {
      allowlist.allowPackage(packageName);
      return this;
    }

    /** A serializer given directly, in addition to those found on the class path. */
    public Builder serializerProvider(SerializerProvider provider) {
      serializerProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Serves every listener over TLS ({@code tcp}; {@code http2} with ALPN {@code h2}; {@code rest} with ALPN
     * {@code h2} and {@code http/1.1}), refusing cleartext unless {@link TlsConfig#allowPlaintext()}; see
     * {@link TlsConfig}. Default cleartext.
     */
    public Builder tls(TlsConfig tls) {
      if (!tls.isServer()) {
        throw new IllegalArgumentException("tls: " + tls + " (expected: TlsConfig.forServer(chain, key))");
      }
      return option(TlsConfig.OPTION, tls);
    }

    /** Sets a transport option for every listener. */
    public <T> Builder option(TransportOption<T> option, T value) {
      options = options.with(option, value);
      return this;
    }

    /**
     * Runs {@code hook} when the server shuts down, after its registrations are withdrawn and before it stops
     * accepting.
     */
    public Builder onShutdown(Runnable hook) {
      shutdownHooks.add(Objects.requireNonNull(hook, "hook"));
      return this;
    }

    /**
     * @throws IllegalArgumentException if no listener or no service is configured, an option is one no listener
     *     reads, TLS is set and a listener cannot serve it, or the console serves remote callers and no interceptor
     *     could authenticate them
     */
    public RpcServer build() {
      if (listeners.isEmpty()) {
        throw new IllegalArgumentException("no listener configured (expected: port(n) or listen(transport, n))");
      }
      if (exports.isEmpty()) {
        throw new IllegalArgumentException("no service exported (expected: service(Type.class, implementation))");
      }
      for (TransportOption<?> option : options.setOptions()) {
        List<String> notReading = listeners.stream().filter(l -> !l.factory().serverOptions().contains(option))
            .map(l -> l.factory().name()).toList();
        if (notReading.size() == listeners.size()) {
          throw new IllegalArgumentException("option " + option + " is read by none of this server's listeners "
              + notReading + " (expected: an option of one of their transports; remove it or add that listener)");
        }
        if (option == TlsConfig.OPTION && !notReading.isEmpty()) {
          throw new IllegalArgumentException("tls: the " + notReading + " listener cannot serve TLS (expected: every"
              + " listener serves TLS once tls(...) is set)");
        }
      }
      if (consoleOptions != null && consoleOptions.allowRemote() && interceptors.isEmpty()) {
        throw new IllegalArgumentException("console: allowRemote(true) on a server without any interceptor, so no"
            + " caller could be authenticated, and a caller from another address must be one for every console"
            + " request but the page (expected: interceptor(BearerAuth.server(...)), or leave allowRemote off)");
      }
      return new RpcServer(this);
    }
  }
}
