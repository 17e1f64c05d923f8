package io.courier.spring.internal;

import io.courier.auth.BearerAuth;
import io.courier.console.Console;
import io.courier.console.ConsoleOptions;
import io.courier.registry.Registry;
import io.courier.registry.RegistryException;
import io.courier.server.RpcServer;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServiceOptions;
import io.courier.spring.CourierProperties;
import io.courier.spring.RpcServerBuilderCustomizer;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

/**
 * Owns the application's {@link RpcServer}. Starts it (binds, serves, does not register) in the phase in which
 * Spring Boot's web server shuts down gracefully, and stops it in that phase: stop accepting, let calls in flight
 * finish for {@code courier.server.shutdown-grace-period}, close — after {@link RegistrationLifecycle}, in a later
 * phase, has withdrawn the registrations. Invariant: {@code server} is set only while it may be running.
 */
public final class ServerLifecycle implements SmartLifecycle, DisposableBean {

  /** Spring Boot's web server graceful-shutdown phase ({@code WebServerGracefulShutdownLifecycle}). */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

  private static final Logger log = LoggerFactory.getLogger(ServerLifecycle.class);

  private final CourierProperties properties;
  private final Registry registry;
  private final ConfigurableListableBeanFactory beanFactory;
  private final List<ServerInterceptor> interceptors;
  private final List<RpcServerBuilderCustomizer> customizers;
  private final Environment environment;
  private volatile List<ServiceExports.Export> exports = List.of();
  private volatile RpcServer server;
  private volatile boolean running;

  public ServerLifecycle(CourierProperties properties, Registry registry, ConfigurableListableBeanFactory beanFactory,
      List<ServerInterceptor> interceptors, List<RpcServerBuilderCustomizer> customizers, Environment environment) {
    this.properties = properties;
    this.registry = registry;
    this.beanFactory = beanFactory;
    this.interceptors = interceptors;
    this.customizers = customizers;
    this.environment = environment;
  }

  @Override
  public void start() {
    CourierProperties.Server p = properties.getServer();
    List<ServiceExports.Export> found = ServiceExports.find(beanFactory, new HashSet<>(p.getExcludedBeans()));
    exports = found;
    running = true;
    if (found.isEmpty()) {
      if (p.getConsole().isEnabled()) {
        throw new CourierConfigurationException("courier.server.console.enabled", true, "no bean implements an"
            + " @RpcService interface, so there is no Courier server here whose console could be served",
            "Export a service (a bean implementing an @RpcService interface), or set"
            + " courier.server.console.enabled=false: the console shows and operates a server.", null);
      }
      log.info("no bean implements an @RpcService interface: Courier serves nothing here");
      return;
    }
    warnIfGraceOutlastsThePhase(p.getShutdownGracePeriod());
    RpcServer built = build(p, found);
    try {
      built.start();
    } catch (RegistryException e) {
      throw new CourierConfigurationException("courier.registry.address", properties.getRegistry().getAddress(),
          e.getMessage(), "Check that the registry is reachable.", e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // a listener refused its settings (a failed bind is an UncheckedIOException, below)
      throw new CourierConfigurationException("courier.server", null, "the server could not start: "
          + e.getMessage(), "Fix the setting the message names under courier.server.* (or in an"
          + " RpcServerBuilderCustomizer).", e);
    } catch (RuntimeException e) {
      throw new CourierConfigurationException("courier.server.transports", describeTransports(p), "the server"
          + " could not start: " + e.getMessage(), "Choose free ports (0 picks one) and a bind host of this machine"
          + " (courier.server.host).", e);
    }
    server = built;
  }

  private RpcServer build(CourierProperties.Server p, List<ServiceExports.Export> found) {
    RpcServer.Builder b = RpcServer.builder();
    ClientFactory.check("courier.server.host", p.getHost(), () -> b.host(p.getHost()), "Use an address of this"
        + " machine, or 0.0.0.0 for every interface.");
    if (p.getAdvertisedHost() != null) {
      ClientFactory.check("courier.server.advertised-host", p.getAdvertisedHost(),
          () -> b.advertisedHost(p.getAdvertisedHost()), "Use the host name or IP address callers reach this"
          + " machine at.");
    }
    for (Map.Entry<String, CourierProperties.Transport> t : transports(p).entrySet()) {
      if (t.getValue().isEnabled()) {
        ClientFactory.check("courier.server.transports." + t.getKey(), t.getValue().getPort(),
            () -> b.listen(t.getKey(), t.getValue().getPort()), "Use a transport on the class path (tcp comes with"
            + " the starter; add io.courier:courier-transport-http2 for http2, io.courier:courier-transport-rest for"
            + " rest) and a port in 0..65535.");
      }
    }
    ListenerSwitches.apply(b, transports(p), !customizers.isEmpty());
    ClientFactory.check("courier.server.worker-threads", p.getWorkerThreads(),
        () -> b.workerThreads(p.getWorkerThreads()), "Use at least 1.");
    ClientFactory.check("courier.server.worker-queue", p.getWorkerQueue(), () -> b.workerQueue(p.getWorkerQueue()),
        "Use 0 or more.");
    ClientFactory.check("courier.server.shutdown-grace-period", p.getShutdownGracePeriod(),
        () -> b.gracePeriod(p.getShutdownGracePeriod()), "Use 0s or more.");
    ClientFactory.check("courier.server.weight", p.getWeight(), () -> b.weight(p.getWeight()),
        "Use 1..1000000.");
    b.metadata("application", applicationName());
    p.getMetadata().forEach((k, v) -> ClientFactory.check("courier.server.metadata." + k, v, () -> b.metadata(k, v),
        "Use non-blank keys."));
    if (registry != null) {
      b.registry(registry);
    }
    if (p.getTls().isEnabled()) {
      b.tls(TlsSettings.server(p.getTls()));
    } else {
      TlsSettings.requireNoneWhileOff(p.getTls(), "courier.server.tls.");
    }
    Map<String, String> callerByToken = new LinkedHashMap<>();
    new TreeMap<>(p.getAuth().getTokens()).forEach((caller, token) -> {
      if (token == null || token.isBlank()) {
        throw new CourierConfigurationException("courier.server.auth.tokens." + caller, token, "is blank",
            "Give every caller a non-blank token, or remove the entry.", null);
      }
      String other = callerByToken.put(token.trim(), caller);
      if (other != null) {
        // one token for two callers would make every call of either the last one's, and its access rules apply
        throw new CourierConfigurationException("courier.server.auth.tokens." + caller, null, "is the same token as"
            + " courier.server.auth.tokens." + other + ", so calls with it could not be told apart",
            "Give every caller a token of its own.", null);
      }
    });
    // the built-in observation and metrics interceptors first, so that what an application interceptor refuses is
    // measured and traced too (authentication refuses in admission, before any interceptor's intercept); then
    // authentication; then the application's, in @Order, whatever order they ask for
    interceptors.stream().filter(i -> i instanceof BuiltIn).forEach(b::interceptor);
    addAuth(b, callerByToken);
    interceptors.stream().filter(i -> !(i instanceof BuiltIn)).forEach(b::interceptor);
    for (ServiceExports.Export e : found) {
      ServiceOptions options = ServiceOptions.DEFAULT;
      if (!e.version().isEmpty()) {
        options = options.version(e.version());
      }
      if (!e.group().isEmpty()) {
        options = options.group(e.group());
      }
      export(b, e.type(), e.bean(), options);
    }
    if (!p.getConsole().isEnabled() && p.getConsole().isAllowRemote()) {
      throw new CourierConfigurationException("courier.server.console.allow-remote", true, "the console is off"
          + " (courier.server.console.enabled=false), so nothing reads it", "Remove it, or switch the console on"
          + " (courier.server.console.enabled=true).", null);
    }
    if (p.getConsole().isEnabled() && p.getConsole().isAllowRemote() && callerByToken.isEmpty()
        && interceptors.stream().allMatch(i -> i instanceof BuiltIn) && customizers.isEmpty()) {
      // nothing could make a caller authenticated, and a remote caller must be one for all but the page
      throw new CourierConfigurationException("courier.server.console.allow-remote", true, "nothing authenticates"
          + " callers (no courier.server.auth.tokens, no ServerInterceptor bean, no RpcServerBuilderCustomizer), and"
          + " a caller from another address must be an authenticated caller to read the console's data",
          "Set courier.server.auth.tokens.<caller>=<token> and send it as a bearer token, or remove"
          + " courier.server.console.allow-remote.", null);
    }
    if (p.getConsole().isEnabled()) {
      // served by ConsoleServlet under the actuator's base path, not by a listener
      ConsoleOptions.Builder console = ConsoleOptions.builder().allowRemote(p.getConsole().isAllowRemote())
          .servedByApplication(true);
      if (p.getTls().isEnabled() && properties.getClient().getTls().isEnabled()) {
        console.clientTls(TlsSettings.client(properties.getClient().getTls())); // try-it calls this server over TLS
      }
      b.console(console.build());
    }
    customizers.forEach(c -> c.customize(b));
    b.registerOnStart(false); // RegistrationLifecycle registers once the application is ready
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CourierConfigurationException("courier.server", null, e.getMessage(), "Fix the setting the message"
          + " names under courier.server.* (or in an RpcServerBuilderCustomizer).", e);
    }
  }

  private static void addAuth(RpcServer.Builder b, Map<String, String> callerByToken) {
    if (!callerByToken.isEmpty()) {
      b.interceptor(BearerAuth.server(BearerAuth.staticTokens(callerByToken)));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void export(RpcServer.Builder b, Class<T> type, Object bean, ServiceOptions options) {
    b.service(type, (T) bean, options);
  }

  private static Map<String, CourierProperties.Transport> transports(CourierProperties.Server p) {
    if (!p.getTransports().isEmpty()) {
      return p.getTransports();
    }
    CourierProperties.Transport tcp = new CourierProperties.Transport();
    tcp.setPort(7070);
    return Map.of("tcp", tcp);
  }

  private static String describeTransports(CourierProperties.Server p) {
    StringBuilder sb = new StringBuilder();
    transports(p).forEach((name, t) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append(':')
        .append(t.getPort()));
    return sb.append(" on ").append(p.getHost()).toString();
  }

  private void warnIfGraceOutlastsThePhase(Duration grace) {
    Duration phase = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class,
        Duration.ofSeconds(30));
    if (grace.compareTo(phase) > 0) {
      log.warn("courier.server.shutdown-grace-period ({}) is longer than spring.lifecycle.timeout-per-shutdown-phase"
          + " ({}): Spring will stop waiting for calls in flight before Courier does; raise the phase timeout or"
          + " lower the grace period", grace, phase);
    }
  }

  /** The application's name: courier.application.name, else spring.application.name, else "application". */
  public String applicationName() {
    String name = properties.getApplication().getName();
    if (name == null || name.isBlank()) {
      name = environment.getProperty("spring.application.name", "application");
    }
    return name;
  }

  /** Drains in the background; Spring waits for {@code callback} up to its phase timeout. */
  @Override
  public void stop(Runnable callback) {
    RpcServer s = server;
    running = false;
    if (s == null) {
      callback.run();
      return;
    }
    log.info("Courier server stopping: no new calls; up to {} ms for the {} in flight",
        properties.getServer().getShutdownGracePeriod().toMillis(), s.inFlightCalls());
    s.shutdown(properties.getServer().getShutdownGracePeriod()).whenComplete((v, e) -> callback.run());
  }

  @Override
  public void stop() {
    RpcServer s = server;
    running = false;
    if (s != null) {
      s.close();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** Closes whatever a stop left running (a drain Spring stopped waiting for). */
  @Override
  public void destroy() {
    RpcServer s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }

  /** The running server, or {@code null} (nothing to export, not started yet, or stopped). */
  public RpcServer server() {
    return server;
  }

  /** The running server's console, or {@code null} (off, or no server running). */
  public Console console() {
    RpcServer s = server;
    return s == null ? null : s.console();
  }

  /** What is exported, bean by bean; empty before start. */
  public List<ServiceExports.Export> exports() {
    return exports;
  }

  /** Whether there is a registry to register in. */
  public boolean hasRegistry() {
    return registry != null;
  }

  /** Marks the interceptors the starter adds ahead of authentication (observation, metrics). */
  public interface BuiltIn {}
}
