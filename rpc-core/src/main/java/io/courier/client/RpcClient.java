package io.courier.client;

import io.courier.cluster.ClusterMode;
import io.courier.cluster.LoadBalancers;
import io.courier.cluster.Provider;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.courier.internal.client.DeadlineInterceptor;
import io.courier.internal.client.InterceptorChain;
import io.courier.internal.client.StubInvocationHandler;
import io.courier.internal.client.UnaryCaller;
import io.courier.internal.cluster.CallPlanner;
import io.courier.internal.cluster.ClusterInvoker;
import io.courier.internal.cluster.ClusterSettings;
import io.courier.internal.cluster.HealthTable;
import io.courier.internal.cluster.OutlierDetection;
import io.courier.internal.cluster.ProviderDirectory;
import io.courier.internal.cluster.RegistryDirectory;
import io.courier.internal.cluster.ServiceKey;
import io.courier.internal.cluster.SlowStart;
import io.courier.internal.cluster.StaticDirectory;
import io.courier.internal.common.GenericCalls;
import io.courier.internal.common.LocalAddresses;
import io.courier.internal.common.SharedTimer;
import io.courier.internal.common.WorkerPool;
import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.transport.ClientTransport;
import io.courier.transport.TlsConfig;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;
import io.courier.transport.TransportOption;
import io.courier.transport.TransportOptions;
import io.courier.transport.Transports;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Makes stubs: JDK proxies of {@code @RpcService} interfaces whose calls go to remote providers. A client
 * owns one transport (and its connections), a serializer set and a place to find providers — fixed addresses or
 * a registry; create one per application and share it. Stubs are thread-safe.
 *
 * <pre>{@code
 * try (RpcClient client = RpcClient.builder().address("127.0.0.1:7070").build()) {
 *   UserService users = client.create(UserService.class);
 *   User user = users.getUser(42);
 * }
 *
 * try (RpcClient client = RpcClient.builder().registry("zookeeper://10.0.0.2:2181").build()) {
 *   UserService users = client.create(UserService.class); // subscribes to UserService's providers
 * }
 * }</pre>
 *
 * <p>Each call goes through the client's interceptors to the cluster layer, which picks a provider with a
 * load balancer (see {@link io.courier.cluster.LoadBalancers}) and applies a fault-tolerance mode (see
 * {@link ClusterMode}; failover by default).
 */
public final class RpcClient implements AutoCloseable {

  /** Used when neither call options, a {@code @Timeout} nor the builder set a timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final String transportName;
  private final SerializerSet serializers;
  private final String defaultSerializer;
  private final Timer timer;
  private final ClientTransport transport;
  private final ProviderDirectory directory;
  final HealthTable health; // read by InternalClients
  private final CallPlanner planner;
  private final UnaryCaller caller;
  private final WorkerPool ownedCallbackExecutor;
  /** The descriptor of each service called generically, by name: one each, as the cluster keys services by it. */
  private final Map<String, ServiceDescriptor> genericServices = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private RpcClient(Builder b, EndpointSource staticSource) {
    this.transportName = b.transportFactory.name();
    this.serializers = SerializerSet.load(b.allowlist, b.serializerProviders);
    this.defaultSerializer = b.serializer != null ? b.serializer : pickDefaultSerializer(serializers);
    serializers.byName(defaultSerializer); // fail now, naming what is available
    ClusterSettings settings = new ClusterSettings(b.loadBalancer, b.clusterMode, b.retryBudgetTokens,
        b.retryBudgetRatio, b.outlierDetection, b.slowStart);
    // Connect to a registry named by address before anything else is started: it is the likeliest to fail.
    Registry registry = b.registry != null ? b.registry
        : b.registryAddress != null ? Registries.connect(b.registryAddress) : null;
    boolean ownsRegistry = b.registry == null && registry != null;
    Timer acquired = SharedTimer.acquire();
    ClientTransport created = null;
    try {
      created = b.transportFactory.newClientTransport(new TransportContext(serializers, b.options, acquired));
    } finally {
      if (created == null) {
        SharedTimer.release(acquired);
        if (ownsRegistry) {
          registry.close();
        }
      }
    }
    this.timer = acquired;
    this.transport = created;
    this.health = new HealthTable(settings.slowStart(), System::nanoTime);
    this.directory = registry != null
        ? new RegistryDirectory(registry, ownsRegistry, transportName, transport, health, System::nanoTime,
            b.registerConsumer ? LocalAddresses.advertisedHost(null) : null)
        : new StaticDirectory(staticSource, health, System::nanoTime);
    this.planner = new CallPlanner(b.defaultTimeout, settings);
    ClusterInvoker cluster = new ClusterInvoker(directory, transport, planner, settings, System::nanoTime);
    Executor callbackExecutor;
    if (b.callbackExecutor != null) {
      callbackExecutor = b.callbackExecutor;
      this.ownedCallbackExecutor = null;
    } else {
      // unbounded like a cached pool, so callbacks that block each get a thread; but an answer wakes a thread only
      // when none is awake and looking for work, so a burst read in one I/O turn does not start or wake one per answer
      WorkerPool pool = new WorkerPool(Integer.MAX_VALUE, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
          new DefaultThreadFactory("courier-callback", true));
      callbackExecutor = pool;
      this.ownedCallbackExecutor = pool;
    }
    List<ClientInterceptor> all = new ArrayList<>();
    all.add(new DeadlineInterceptor(timer));
    all.addAll(b.interceptors);
    this.caller = new UnaryCaller(new InterceptorChain(all, cluster::invoke), callbackExecutor);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A stub for {@code type} with the client's default options.
   *
   * @throws IllegalArgumentException if {@code type} is not a usable service interface, or the default
   *     serializer cannot carry one of its types; the message names the method
   */
  public <T> T create(Class<T> type) {
    return create(type, CallOptions.DEFAULT);
  }

  /**
   * A stub for {@code type} whose calls use {@code options}. With a registry, the first stub of a service (of a
   * version and group: see {@link io.courier.cluster.ClusterOptions#VERSION}) subscribes to its providers and waits up
   * to the registry's connect timeout for the first list.
   *
   * @throws IllegalArgumentException if {@code type} is not a usable service interface, the serializer cannot
   *     carry one of its types, or a cluster option or annotation names an unknown balancer or a bad value
   */
  public <T> T create(Class<T> type, CallOptions options) {
    checkOpen();
    ServiceDescriptor service = ServiceDescriptor.of(type);
    Serializer serializer = serializerFor(service, options);
    StubInvocationHandler handler = new StubInvocationHandler(service, options, serializer, planner, caller,
        transportName + " → " + directory.describe()); // resolves and checks each method's plan
    directory.subscribe(ServiceKey.of(service, options));
    return type.cast(Proxy.newProxyInstance(classLoaderOf(type), new Class<?>[] {type}, handler));
  }

  /**
   * Calls to the service named {@code service} on the wire, without its interface: see {@link GenericService}.
   *
   * <pre>{@code
   * GenericService users = client.generic("acme.Users");
   * Object user = users.call("getUser", 42); // a Map
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code service} is not a usable service name
   * @throws IllegalStateException if the json serializer is not on the class path
   */
  public GenericService generic(String service) {
    return generic(service, CallOptions.DEFAULT);
  }

  /**
   * Calls to the service named {@code service} with {@code options}: a timeout, headers, and the version and group of
   * providers ({@link io.courier.cluster.ClusterOptions#VERSION}, {@link io.courier.cluster.ClusterOptions#GROUP}), as
   * a stub takes them. With a registry, the first handle of a service (of a version and group) subscribes to its
   * providers, as a stub's does.
   *
   * <pre>{@code
   * GenericService users = client.generic("acme.Users", CallOptions.DEFAULT
   *     .with(ClusterOptions.VERSION, "2.0").withTimeout(Duration.ofSeconds(2)));
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code service} is not a usable service name, {@code options} name a
   *     serializer other than {@code json} (generic calls always carry JSON), or a cluster option is not valid
   * @throws IllegalStateException if the json serializer is not on the class path
   */
  public GenericService generic(String service, CallOptions options) {
    checkOpen();
    Objects.requireNonNull(options, "options");
    ServiceDescriptor descriptor = genericServices.get(Objects.requireNonNull(service, "service"));
    if (descriptor == null) {
      descriptor = genericServices.computeIfAbsent(service, ServiceDescriptor::generic); // checks the name
    }
    if (options.serializer() != null && !options.serializer().equals("json")) {
      throw new IllegalArgumentException("serializer: " + options.serializer() + " (expected: json or none; generic"
          + " calls carry their arguments and result as JSON)");
    }
    Serializer json = serializers.find("json");
    if (json == null) {
      throw new IllegalStateException("generic calls need the json serializer, and it is not on the class path"
          + " (available: " + serializers.names() + "); add io.courier:courier-serialization-json");
    }
    planner.check(descriptor, options); // each method's plan is resolved on its first call
    directory.subscribe(ServiceKey.of(descriptor, options));
    return new GenericService(descriptor, options.withSerializer("json").withHeader(GenericCalls.HEADER, "1"), json,
        planner, caller);
  }

  /**
   * A copy of {@code stub} (made by any client) whose calls use {@code overrides} on top of its options.
   *
   * <pre>{@code
   * UserService slow = client.withOptions(users, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code stub} is not a Courier stub
   */
  public <T> T withOptions(T stub, CallOptions overrides) {
    StubInvocationHandler handler = StubInvocationHandler.of(stub);
    if (handler == null) {
      throw new IllegalArgumentException("stub: " + stub + " (expected: a stub made by RpcClient.create)");
    }
    CallOptions merged = handler.options().mergedWith(overrides);
    planner.check(handler.service(), merged);
    directory.subscribe(ServiceKey.of(handler.service(), merged)); // a new version or group is a new subscription
    StubInvocationHandler copy = handler.withOptions(merged, serializerFor(handler.service(), merged));
    Class<?> type = handler.service().type();
    @SuppressWarnings("unchecked")
    T proxy = (T) Proxy.newProxyInstance(classLoaderOf(type), new Class<?>[] {type}, copy);
    return proxy;
  }

  /**
   * The providers {@code stub}'s calls choose from right now: those discovery reports for its service, version and
   * group over this client's transport (or the fixed addresses), before outlier ejection. For health checks and
   * tools; calls never need it.
   *
   * <pre>{@code
   * if (client.providers(greeter).isEmpty()) { ... } // nobody to call yet
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code stub} is not a stub made by this client's {@code create}
   */
  public List<Endpoint> providers(Object stub) {
    StubInvocationHandler handler = StubInvocationHandler.of(stub);
    if (handler == null) {
      throw new IllegalArgumentException("stub: " + stub + " (expected: a stub made by RpcClient.create)");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (Provider provider : directory.providers(ServiceKey.of(handler.service(),
        handler.options()))) {
      endpoints.add(provider.endpoint());
    }
    return List.copyOf(endpoints);
  }

  /** Whether {@code candidate} is a stub made by an {@code RpcClient}, for frameworks that must not export one. */
  public static boolean isStub(Object candidate) {
    return StubInvocationHandler.of(candidate) != null;
  }

  /** The name of the transport this client uses. */
  public String transportName() {
    return transportName;
  }

  /** The serializers this client can use. */
  public SerializerSet serializers() {
    return serializers;
  }

  /**
   * Closes, in this order: the subscriptions to the registry (and the registry itself if this client created it from
   * an address string; a {@link Registry} passed to the builder stays open), then the transport — calls still
   * pending fail with {@code UNAVAILABLE} — then the client's threads. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      directory.close();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(RpcClient.class).warn("closing {} failed", directory.describe(), e);
    }
    try {
      transport.close();
    } finally {
      if (ownedCallbackExecutor != null) {
        ownedCallbackExecutor.shutdown();
      }
      SharedTimer.release(timer);
    }
  }

  private Serializer serializerFor(ServiceDescriptor service, CallOptions options) {
    String name = options.serializer() != null ? options.serializer() : defaultSerializer;
    Serializer serializer = serializers.byName(name);
    for (MethodDescriptor method : service.methods()) {
      for (Type type : method.requestTypes()) {
        check(serializer, method, type);
        serializers.allowlist().allowType(type);
      }
      check(serializer, method, method.responseType());
      serializers.allowlist().allowType(method.responseType());
    }
    return serializer;
  }

  private static void check(Serializer serializer, MethodDescriptor method, Type type) {
    if (type == Void.class) {
      return;
    }
    String reason = serializer.unsupportedReason(type);
    if (reason != null) {
      throw new IllegalArgumentException("method " + method.fullName() + " cannot use serializer '"
          + serializer.name() + "': " + reason);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this RpcClient is closed");
    }
  }

  private static ClassLoader classLoaderOf(Class<?> type) {
    return type.getClassLoader() != null ? type.getClassLoader() : RpcClient.class.getClassLoader();
  }

  /** kryo if present (the fastest general format), else the only one, else an error listing the choice. */
  private static String pickDefaultSerializer(SerializerSet serializers) {
    List<String> names = serializers.names();
    if (names.contains("kryo")) {
      return "kryo";
    }
    if (names.size() == 1) {
      return names.get(0);
    }
    if (names.isEmpty()) {
      throw new IllegalStateException("no serializer on the class path "
          + "(add io.courier:courier-serialization-kryo, -hessian, -json or -protobuf)");
    }
    throw new IllegalStateException("several serializers are available " + names
        + " (expected: choose one with RpcClient.builder().serializer(name))");
  }

  /** Configures and builds an {@link RpcClient}; {@link #build()} validates. */
  public static final class Builder {
    private TransportFactory transportFactory;
    private String transportName = "tcp";
    private final List<Endpoint> addresses = new ArrayList<>();
    private EndpointSource endpointSource;
    private String registryAddress;
    private Registry registry;
    private boolean registerConsumer;
    private String loadBalancer = LoadBalancers.DEFAULT;
    private ClusterMode clusterMode = ClusterMode.FAILOVER;
    private int retryBudgetTokens = ClusterSettings.DEFAULT.retryBudgetTokens();
    private double retryBudgetRatio = ClusterSettings.DEFAULT.retryBudgetRatio();
    private OutlierDetection outlierDetection = OutlierDetection.DEFAULT;
    private SlowStart slowStart = SlowStart.DEFAULT;
    private String serializer;
    private Duration defaultTimeout = DEFAULT_TIMEOUT;
    private final List<ClientInterceptor> interceptors = new ArrayList<>();
    private final List<SerializerProvider> serializerProviders = new ArrayList<>();
    private final TypeAllowlist allowlist = TypeAllowlist.withDefaults();
    private TransportOptions options = TransportOptions.DEFAULT;
    private Executor callbackExecutor;

    private Builder() {}

    /** The transport by name, found on the class path; default {@code "tcp"}. */
    public Builder transport(String name) {
      this.transportName = Objects.requireNonNull(name, "name");
      this.transportFactory = null;
      return this;
    }

    /** A transport given directly instead of found by name. */
    public Builder transport(TransportFactory factory) {
      this.transportFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** Adds a provider address, {@code host:port}; all services are called there. */
    public Builder address(String hostAndPort) {
      addresses.add(Endpoint.parse(hostAndPort));
      return this;
    }

    /** Adds provider addresses. */
    public Builder addresses(List<Endpoint> endpoints) {
      addresses.addAll(endpoints);
      return this;
    }

    /** Where to find providers, for example a registry's view; replaces {@link #address}. */
    public Builder endpointSource(EndpointSource source) {
      this.endpointSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Finds providers in the registry at {@code address} — {@code zookeeper://host:port[,host:port][/root]},
     * {@code static://host:port,...} or {@code embedded} (see {@link Registries}). The client connects when built
     * and owns the registry: {@link RpcClient#close()} closes it. Providers are kept when their version and group
     * match the stub's service and they offer this client's transport.
     */
    public Builder registry(String address) {
      this.registryAddress = Objects.requireNonNull(address, "address");
      this.registry = null;
      return this;
    }

    /**
     * Finds providers in {@code registry}, which the caller owns: closing the client closes only its subscriptions,
     * so one registry can serve several clients and servers.
     */
    public Builder registry(Registry sharedRegistry) {
      this.registry = Objects.requireNonNull(sharedRegistry, "registry");
      this.registryAddress = null;
      return this;
    }

    /**
     * Registers this client as a consumer of each service it creates a stub for, so that operators can see who
     * calls what; default off. Needs a registry.
     */
    public Builder registerConsumer(boolean register) {
      this.registerConsumer = register;
      return this;
    }

    /**
     * The load balancer of services and methods that choose none; default {@value LoadBalancers#P2C}. See
     * {@link LoadBalancers} for the names.
     */
    public Builder loadBalancer(String name) {
      this.loadBalancer = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The fault-tolerance mode of services and methods that choose none; default {@link ClusterMode#FAILOVER}. */
    public Builder clusterMode(ClusterMode mode) {
      this.clusterMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Retry throttling per service, as in gRPC: a bucket of {@code maxTokens} tokens (default 100, at most 1000); each
     * failure that could be retried takes one, each answered call gives {@code tokenRatio} back (default 0.1, at least
     * 0.001), and retries and extra forks are made only while more than half the bucket is left.
     */
    public Builder retryBudget(int maxTokens, double tokenRatio) {
      ClusterSettings check = new ClusterSettings(loadBalancer, clusterMode, maxTokens, tokenRatio, outlierDetection,
          slowStart);
      this.retryBudgetTokens = check.retryBudgetTokens();
      this.retryBudgetRatio = check.retryBudgetRatio();
      return this;
    }

    /**
     * When to stop choosing a provider: at once when it cannot be reached, or after {@code consecutiveFailures}
     * other failures in a row (default 5; 0 turns ejection off). It is left out for {@code baseEjection} (default
     * 1 s), doubling on each repeat up to {@code maxEjection} (default 30 s); then a single call probes it, and a
     * success brings it back.
     */
    public Builder outlierDetection(int consecutiveFailures, Duration baseEjection, Duration maxEjection) {
      this.outlierDetection = new OutlierDetection(consecutiveFailures, baseEjection, maxEjection);
      return this;
    }

    /**
     * Slow start: a provider that joins a service this client already calls — a new one, or one registered again
     * after a restart — gets a tenth of its share of calls at first, rising linearly to its full share over
     * {@code window} (default 10 s), so that a cold JVM is not handed a full share at once. {@code p2c} and
     * {@code least-active} let it take part in a pick only that often, {@code random} and {@code round-robin} scale
     * its weight; {@code consistent-hash} does not, its keys must stay put. Providers in a service's first list start
     * at their full share. {@code Duration.ZERO} turns it off.
     *
     * <pre>{@code
     * RpcClient client = RpcClient.builder().registry("zookeeper://zk:2181").slowStart(Duration.ofSeconds(30)).build();
     * }</pre>
     */
    public Builder slowStart(Duration window) {
      this.slowStart = new SlowStart(Objects.requireNonNull(window, "window"), SlowStart.DEFAULT_FLOOR);
      return this;
    }

    /** The default serializer by name; default {@code kryo} when it is on the class path. */
    public Builder serializer(String name) {
      this.serializer = Objects.requireNonNull(name, "name");
      return this;
    }

    /** A serializer given directly, in addition to those found on the class path. */
    public Builder serializerProvider(SerializerProvider provider) {
      serializerProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** The timeout of calls that set none; default 5 seconds. */
    public Builder defaultTimeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("defaultTimeout: " + timeout + " (expected: > 0)");
      }
      this.defaultTimeout = timeout;
      return this;
    }

    /** Adds an interceptor; they run in the order added, after the built-in deadline interceptor. */
    public Builder interceptor(ClientInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
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

    /**
     * Calls over TLS, whatever the transport ({@code tcp}, {@code http2} with ALPN {@code h2}, {@code rest}); the
     * first bytes on every connection are the TLS ClientHello. See {@link TlsConfig}. Default cleartext.
     */
    public Builder tls(TlsConfig tls) {
      if (tls.isServer()) {
        throw new IllegalArgumentException("tls: " + tls + " (expected: TlsConfig.forClient())");
      }
      return option(TlsConfig.OPTION, tls);
    }

    /** Sets a transport option. */
    public <T> Builder option(TransportOption<T> option, T value) {
      options = options.with(option, value);
      return this;
    }

    /**
     * Where futures returned by asynchronous stub methods complete; default a pool owned by the client, so
     * that callbacks never run on an I/O thread.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the transport, serializer, load balancer or registry scheme is unknown,
     *     not exactly one way to find providers is set, or an option is one the transport does not read; the message
     *     says what is available
     * @throws io.courier.registry.RegistryException if the registry named by address cannot be reached
     */
    public RpcClient build() {
      if (transportFactory == null) {
        transportFactory = Transports.find(transportName);
      }
      int sources = (addresses.isEmpty() ? 0 : 1) + (endpointSource == null ? 0 : 1)
          + (registry == null && registryAddress == null ? 0 : 1);
      if (sources == 0) {
        throw new IllegalArgumentException("no providers configured (expected: address(\"host:port\"),"
            + " registry(\"zookeeper://host:port\") or endpointSource(...))");
      }
      if (sources > 1) {
        throw new IllegalArgumentException("providers configured more than one way (expected: one of address(...),"
            + " registry(...) or endpointSource(...))");
      }
      if (registerConsumer && registry == null && registryAddress == null) {
        throw new IllegalArgumentException("registerConsumer(true) needs a registry (expected: registry(...))");
      }
      LoadBalancers.find(loadBalancer); // fail here, naming what is available
      for (TransportOption<?> option : options.setOptions()) {
        if (!transportFactory.clientOptions().contains(option)) {
          throw new IllegalArgumentException("option " + option + " is not read by the " + transportFactory.name()
              + " transport's client (expected: an option of the client's transport; remove it or choose that"
              + " transport)");
        }
      }
      return new RpcClient(this, endpointSource != null ? endpointSource
          : addresses.isEmpty() ? null : EndpointSource.of(addresses));
    }
  }
}
