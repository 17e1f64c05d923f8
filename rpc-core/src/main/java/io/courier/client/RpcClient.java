package io.courier.client;

import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.courier.internal.client.DeadlineInterceptor;
import io.courier.internal.client.EndpointRouter;
import io.courier.internal.client.InterceptorChain;
import io.courier.internal.client.StubInvocationHandler;
import io.courier.internal.common.SharedTimer;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.transport.ClientTransport;
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
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes stubs: JDK proxies of {@code @RpcService} interfaces whose calls go to remote providers. A client
 * owns one transport (and its connections), a serializer set and a place to find providers; create one per
 * application and share it. Stubs are thread-safe.
 *
 * <pre>{@code
 * try (RpcClient client = RpcClient.builder().address("127.0.0.1:7070").build()) {
 *   UserService users = client.create(UserService.class);
 *   User user = users.getUser(42);
 * }
 * }</pre>
 */
public final class RpcClient implements AutoCloseable {

  /** Used when neither call options, a {@code @Timeout} nor the builder set a timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final String transportName;
  private final SerializerSet serializers;
  private final String defaultSerializer;
  private final Timer timer;
  private final ClientTransport transport;
  private final EndpointSource endpoints;
  private final DeadlineInterceptor deadlines;
  private final InterceptorChain chain;
  private final Executor callbackExecutor;
  private final ExecutorService ownedCallbackExecutor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RpcClient(Builder b) {
    this.transportName = b.transportFactory.name();
    this.serializers = SerializerSet.load(b.allowlist, b.serializerProviders);
    this.defaultSerializer = b.serializer != null ? b.serializer : pickDefaultSerializer(serializers);
    serializers.byName(defaultSerializer); // fail now, naming what is available
    this.endpoints = b.endpointSource;
    this.timer = SharedTimer.acquire();
    ClientTransport created = null;
    try {
      created = b.transportFactory.newClientTransport(new TransportContext(serializers, b.options, timer));
    } finally {
      if (created == null) {
        SharedTimer.release(timer);
      }
    }
    this.transport = created;
    if (b.callbackExecutor != null) {
      this.callbackExecutor = b.callbackExecutor;
      this.ownedCallbackExecutor = null;
    } else {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
          new SynchronousQueue<>(), new DefaultThreadFactory("courier-callback", true));
      this.callbackExecutor = pool;
      this.ownedCallbackExecutor = pool;
    }
    this.deadlines = new DeadlineInterceptor(timer, b.defaultTimeout);
    List<ClientInterceptor> all = new ArrayList<>();
    all.add(deadlines);
    all.addAll(b.interceptors);
    EndpointRouter router = new EndpointRouter(endpoints, transport);
    this.chain = new InterceptorChain(all, router::route);
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

  /** A stub for {@code type} whose calls use {@code options}. */
  public <T> T create(Class<T> type, CallOptions options) {
    checkOpen();
    ServiceDescriptor service = ServiceDescriptor.of(type);
    Serializer serializer = serializerFor(service, options);
    StubInvocationHandler handler = new StubInvocationHandler(service, options, serializer, chain, deadlines,
        callbackExecutor, transportName + " → " + endpoints.describe());
    return type.cast(Proxy.newProxyInstance(classLoaderOf(type), new Class<?>[] {type}, handler));
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
    StubInvocationHandler copy = handler.withOptions(merged, serializerFor(handler.service(), merged));
    Class<?> type = handler.service().type();
    @SuppressWarnings("unchecked")
    T proxy = (T) Proxy.newProxyInstance(classLoaderOf(type), new Class<?>[] {type}, copy);
    return proxy;
  }

  /** The name of the transport this client uses. */
  public String transportName() {
    return transportName;
  }

  /** The serializers this client can use. */
  public SerializerSet serializers() {
    return serializers;
  }

  /** Fails calls still pending with {@code UNAVAILABLE} and releases connections and threads. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      transport.close();
    } finally {
      try {
        endpoints.close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(RpcClient.class).warn("closing {} failed", endpoints.describe(), e);
      }
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

    /** Serves (or calls) over TLS; see {@link io.courier.transport.TlsConfig}. Default plaintext. */
    public Builder tls(io.courier.transport.TlsConfig tls) {
      if (tls.isServer()) {
        throw new IllegalArgumentException("tls: " + tls + " (expected: TlsConfig.forClient())");
      }
      return option(io.courier.transport.TlsConfig.OPTION, tls);
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
     * @throws IllegalArgumentException if the transport or serializer is unknown or no provider address is
     *     set; the message says what is available
     */
    public RpcClient build() {
      if (transportFactory == null) {
        transportFactory = Transports.find(transportName);
      }
      if (endpointSource == null) {
        if (addresses.isEmpty()) {
          throw new IllegalArgumentException(
              "no providers configured (expected: address(\"host:port\") or endpointSource(...))");
        }
        endpointSource = EndpointSource.of(addresses);
      }
      return new RpcClient(this);
    }
  }
}
