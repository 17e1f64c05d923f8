package io.courier.internal.console;

import io.courier.auth.BearerAuth;
import io.courier.client.GenericService;
import io.courier.client.RpcClient;
import io.courier.cluster.ClusterOptions;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.console.Console;
import io.courier.console.ConsoleOptions;
import io.courier.console.ConsoleRequest;
import io.courier.console.ConsoleResponse;
import io.courier.describe.JsonText;
import io.courier.describe.ServiceDescription;
import io.courier.internal.common.HttpStatuses;
import io.courier.registry.Registry;
import io.courier.server.CallHead;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console of one server ({@code docs/console.md}): routes a request to the page's files or a JSON endpoint, after
 * the address rule, admission as a call of {@value Console#SERVICE} and, for try-it, operator actions and a caller
 * not on this host, an authenticated caller. Owns the console's figures ({@link ConsoleMetrics}, ticked once a second
 * on the server's timer), its view of the registry ({@link ConsoleProviders}) and the client that makes try-it calls,
 * made on the first one; {@link #close} releases all three. Thread-safe; never blocks the caller: a try-it call and a
 * drain answer through the returned future.
 */
public final class ConsoleHandler implements Console, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsoleHandler.class);

  private static final String JSON = "application/json";
  private static final String RESOURCES = "io/courier/console/";
  private static final Map<String, String> FILES = Map.of("/", "index.html", "/index.html", "index.html",
      "/console.css", "console.css", "/console.js", "console.js");
  private static final Map<String, String> NO_STORE = Map.of("cache-control", "no-store");
  private static final Duration DEFAULT_TRY_TIMEOUT = Duration.ofSeconds(5);
  private static final List<Metadata.Key<String>> RELAYED = RELAYED_HEADERS.stream().map(Metadata.Key::of).toList();

  /** What the console needs of its server. */
  public interface Host {

    /** {@code RUNNING}, {@code SHUTTING_DOWN} or {@code TERMINATED}. */
    String state();

    /** Whether the server's services are registered now. */
    boolean registered();

    /** The server's registry, or {@code null}. */
    Registry registry();

    /** The bound address of each listener, by transport name, in listener order. */
    Map<String, InetSocketAddress> addresses();

    /** Calls in flight. */
    int inFlight();

    /** The exported services with the version and group they are registered with. */
    List<ServiceDescriptor> services();

    /** The version and group {@code service} is exported with: two strings, either may be empty. */
    String[] versionAndGroup(ServiceDescriptor service);

    /** How the server's REST listener routes a method ({@code "GET /users/{id}"}), or {@code null}. */
    Function<MethodDescriptor, String> restRoutes();

    /** Runs the server's admission on {@code head}: a refusal, or {@code null}. */
    Status admit(CallHead head);

    /** Whether {@code host}:{@code ports} are this server's own registration. */
    boolean isSelf(String host, Map<String, Integer> ports);

    /** Where a client reaches this server over {@code transport} (loopback for a wildcard bind), or {@code null}. */
    Endpoint selfEndpoint(String transport);

    /** The client that makes try-it calls: over the server's first listener, through the registry if it has one. */
    RpcClient newTryItClient();

    /** Whether try-it calls cannot be made (the listeners use TLS and no client TLS is set): why, or {@code null}. */
    String tryItUnavailable();

    void register();

    void deregister();

    /** Starts a graceful shutdown. */
    void drain();
  }

  private final Host host;
  private final ConsoleOptions options;
  private final ConsoleMetrics metrics;
  private final Timer timer;
  private final Instant startTime = Instant.now();
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final Object lock = new Object();
  private Timeout tick; // guarded by lock
  private ConsoleProviders providers; // guarded by lock
  private RpcClient tryIt; // guarded by lock
  private byte[] servicesJson; // guarded by lock; written on the first request, when the listeners are bound
  private boolean closed; // guarded by lock

  public ConsoleHandler(Host host, ConsoleOptions options, ConsoleMetrics metrics, Timer timer) {
    this.host = host;
    this.options = options;
    this.metrics = metrics;
    this.timer = timer;
    for (String file : FILES.values()) {
      files.computeIfAbsent(file, ConsoleHandler::resource);
    }
  }

  /** Starts the figures' clock and the registry view. */
  public void start() {
    synchronized (lock) {
      scheduleTick();
      Registry registry = host.registry();
      if (registry != null) {
        providers = new ConsoleProviders(registry, host.services());
      }
    }
  }

  @Override
  public void close() {
    ConsoleProviders p;
    RpcClient client;
    synchronized (lock) {
      closed = true;
      if (tick != null) {
        tick.cancel();
      }
      p = providers;
      client = tryIt;
      providers = null;
      tryIt = null;
    }
    if (p != null) {
      p.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private void scheduleTick() {
    long now = System.currentTimeMillis();
    tick = timer.newTimeout(t -> {
      metrics.tick(System.currentTimeMillis() / 1000 - 1);
      synchronized (lock) {
        if (!closed) {
          scheduleTick();
        }
      }
    }, 1000 - now % 1000 + 5, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<ConsoleResponse> handle(ConsoleRequest request) {
    try {
      return route(request);
    } catch (RuntimeException e) {
      log.warn("the console failed on {} {}", request.method(), request.path(), e);
      return CompletableFuture.completedFuture(error(Status.INTERNAL.withDescription("the console failed: " + e)));
    }
  }

  @Override
  public ConsoleResponse refusal(ConsoleRequest head) {
    try {
      Status refusal = addressRefusal(head);
      if (refusal == null) {
        String path = head.path();
        refusal = switch (path) {
          case "/api/server", "/api/services", "/api/providers", "/api/metrics" -> mayRead(head);
          case "/api/call" -> mayAct(head, "call");
          case "/api/offline", "/api/online", "/api/drain" -> mayAct(head, path.substring("/api/".length()));
          default -> null; // the page's files, and paths the console does not have: nothing to admit
        };
      }
      return refusal == null ? null : error(refusal);
    } catch (RuntimeException e) {
      log.warn("the console failed checking {} {}", head.method(), head.path(), e);
      return error(Status.INTERNAL.withDescription("the console failed: " + e));
    }
  }

  private Status addressRefusal(ConsoleRequest request) {
    if (options.allowRemote() || isLocal(request)) {
      return null;
    }
    SocketAddress from = request.remoteAddress();
    String why = isLoopback(from) ? " relayed by a proxy (it has one of " + RELAYED_HEADERS + ")"
        : from instanceof InetSocketAddress inet && inet.isUnresolved() ? " (an address that is no IP address, or"
            + " that the connection does not bear out, is not taken for loopback)" : "";
    return Status.PERMISSION_DENIED.withDescription("the console answers loopback callers only, not " + from + why
        + " (expected: ConsoleOptions.builder().allowRemote(true) to serve others)");
  }

  /**
   * Whether the caller is on this host: a loopback address, and no header that says a proxy relayed the request (a
   * proxy on this host connects from loopback for callers anywhere).
   */
  static boolean isLocal(ConsoleRequest request) {
    if (!isLoopback(request.remoteAddress())) {
      return false;
    }
    for (Metadata.Key<String> header : RELAYED) {
      if (request.headers().containsKey(header)) {
        return false;
      }
    }
    return true;
  }

  private CompletableFuture<ConsoleResponse> route(ConsoleRequest request) {
    Status badAddress = addressRefusal(request);
    if (badAddress != null) {
      return done(error(badAddress));
    }
    String path = request.path();
    if (path.isEmpty()) {
      return done(new ConsoleResponse(308, "text/plain", new byte[0],
          Map.of("location", lastSegment(PATH) + "/", "cache-control", "no-store")));
    }
    String file = FILES.get(path);
    if (file != null) {
      if (!isGet(request)) {
        return done(notAllowed(request, "GET"));
      }
      byte[] body = files.get(file);
      if (body == null) {
        return done(error(Status.NOT_FOUND.withDescription("the console's " + file + " is missing from the class path"
            + " (expected: courier-core's jar with io/courier/console/)")));
      }
      return done(new ConsoleResponse(200, contentType(file), body, Map.of("cache-control", "no-cache",
          "x-content-type-options", "nosniff", "content-security-policy", "default-src 'self'; "
              + "img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")));
    }
    return switch (path) {
      case "/api/server" -> read(request, this::server);
      case "/api/services" -> read(request, this::services);
      case "/api/providers" -> read(request, this::providers);
      case "/api/metrics" -> read(request, r -> metrics.toJson(System.currentTimeMillis() / 1000 - 1));
      case "/api/call" -> tryIt(request);
      case "/api/offline", "/api/online", "/api/drain" -> action(request, path.substring("/api/".length()));
      default -> done(error(Status.NOT_FOUND.withDescription("the console has no " + path + " (expected: one of /, "
          + "/api/server, /api/services, /api/providers, /api/metrics, /api/call, /api/offline, /api/online, "
          + "/api/drain)")));
    };
  }

  // --- reading

  private CompletableFuture<ConsoleResponse> read(ConsoleRequest request,
      Function<ConsoleRequest, Object> answer) {
    Status refusal = mayRead(request);
    if (refusal != null) {
      return done(error(refusal));
    }
    if (!isGet(request)) {
      return done(notAllowed(request, "GET"));
    }
    Object json = answer.apply(request);
    byte[] body = json instanceof byte[] bytes ? bytes : JsonText.write(json).getBytes(StandardCharsets.UTF_8);
    return done(new ConsoleResponse(200, JSON, body, NO_STORE));
  }

  private Map<String, Object> server(ConsoleRequest request) {
    Map<String, Object> json = serverState();
    Registry registry = host.registry();
    json.put("registry", registry == null ? null : registry.describe());
    Map<String, Object> addresses = new LinkedHashMap<>();
    host.addresses().forEach((name, address) -> addresses.put(name, address.getHostString() + ":"
        + address.getPort()));
    json.put("addresses", addresses);
    json.put("inFlight", host.inFlight());
    json.put("startTime", startTime.toString());
    Map<String, Object> actions = new LinkedHashMap<>();
    boolean running = "RUNNING".equals(host.state());
    actions.put("call", running && host.tryItUnavailable() == null && mayAct(request, "call") == null);
    actions.put("offline", running && registry != null && host.registered() && mayAct(request, "offline") == null);
    actions.put("online", running && registry != null && !host.registered() && mayAct(request, "online") == null);
    actions.put("drain", running && mayAct(request, "drain") == null);
    json.put("actions", actions);
    return json;
  }

  private Map<String, Object> serverState() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("state", host.state());
    json.put("registered", host.registered());
    return json;
  }

  private byte[] services(ConsoleRequest request) {
    synchronized (lock) {
      if (servicesJson == null) {
        Function<MethodDescriptor, String> routes = host.restRoutes();
        List<ServiceDescription> descriptions = new ArrayList<>();
        for (ServiceDescriptor service : host.services()) {
          descriptions.add(routes == null ? ServiceDescription.of(service) : ServiceDescription.of(service, routes));
        }
        servicesJson = JsonText.write(ServiceDescription.toJson(descriptions)).getBytes(StandardCharsets.UTF_8);
      }
      return servicesJson;
    }
  }

  private Map<String, Object> providers(ConsoleRequest request) {
    ConsoleProviders view;
    RpcClient client;
    synchronized (lock) {
      view = providers;
      client = tryIt;
    }
    Registry registry = host.registry();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("registry", registry == null ? null : registry.describe());
    List<Object> services = new ArrayList<>();
    for (ServiceDescriptor service : host.services()) {
      String[] vg = host.versionAndGroup(service);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("service", service.name());
      entry.put("version", vg[0]);
      entry.put("group", vg[1]);
      entry.put("providers", view != null ? view.toJson(service.name(), host, client)
          : ConsoleProviders.selfJson(host, vg, client));
      services.add(entry);
    }
    json.put("services", services);
    return json;
  }

  // --- try it

  private CompletableFuture<ConsoleResponse> tryIt(ConsoleRequest request) {
    Status refusal = mayAct(request, "call");
    if (refusal != null) {
      return done(error(refusal));
    }
    if (!request.method().equals("POST")) {
      return done(notAllowed(request, "POST"));
    }
    String unavailable = host.tryItUnavailable();
    if (unavailable != null) {
      return done(error(Status.FAILED_PRECONDITION.withDescription(unavailable)));
    }
    String contentType = request.headers().get(Metadata.Key.of("content-type"));
    if (contentType == null || !contentType.toLowerCase().startsWith(JSON)) {
      return done(error(415, Status.INVALID_ARGUMENT.withDescription("the arguments need content-type "
          + "application/json, not " + (contentType == null ? "none" : "'" + contentType + "'"))));
    }
    Map<String, String> query;
    try {
      query = query(request.query());
    } catch (IllegalArgumentException e) {
      return done(error(Status.INVALID_ARGUMENT.withDescription("malformed query: " + e.getMessage())));
    }
    String serviceName = query.get("service");
    String method = query.get("method");
    if (serviceName == null || method == null) {
      return done(error(Status.INVALID_ARGUMENT.withDescription("api/call needs ?service=<name>&method=<name> "
          + "(given: " + request.query() + ")")));
    }
    ServiceDescriptor service = host.services().stream().filter(s -> s.name().equals(serviceName)).findFirst()
        .orElse(null);
    if (service == null) {
      return done(error(Status.NOT_FOUND.withDescription("unknown service " + serviceName + " (expected: one of "
          + String.join(", ", host.services().stream().map(ServiceDescriptor::name).toList()) + ")")));
    }
    Duration timeout;
    try {
      timeout = query.containsKey("timeoutMs") ? Duration.ofMillis(Long.parseLong(query.get("timeoutMs")))
          : DEFAULT_TRY_TIMEOUT;
    } catch (NumberFormatException e) {
      return done(error(Status.INVALID_ARGUMENT.withDescription("timeoutMs: '" + query.get("timeoutMs")
          + "' (expected: milliseconds, such as 5000)")));
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_CALL_TIMEOUT) > 0) {
      return done(error(Status.INVALID_ARGUMENT.withDescription("timeoutMs: " + timeout.toMillis()
          + " (expected: 1 to " + MAX_CALL_TIMEOUT.toMillis() + ")")));
    }
    String[] vg = host.versionAndGroup(service);
    String version = query.getOrDefault("version", vg[0]);
    String group = query.getOrDefault("group", vg[1]);
    CallOptions callOptions = CallOptions.DEFAULT.withTimeout(timeout);
    Map<String, Object> sent = new LinkedHashMap<>();
    sent.put("courier-generic", "1");
    String authorization = request.headers().get(BearerAuth.AUTHORIZATION);
    if (authorization != null) {
      callOptions = callOptions.withHeader(BearerAuth.AUTHORIZATION, authorization);
      sent.put("authorization", redact(authorization));
    }
    sent.put("timeout", timeout.toMillis() + "ms");
    if (!version.isEmpty()) {
      callOptions = callOptions.with(ClusterOptions.VERSION, version);
      sent.put("version", version);
    }
    if (!group.isEmpty()) {
      callOptions = callOptions.with(ClusterOptions.GROUP, group);
      sent.put("group", group);
    }
    GenericService generic;
    try {
      generic = client().generic(serviceName, callOptions);
    } catch (RuntimeException e) {
      return done(error(Status.UNAVAILABLE.withDescription("the console's client could not start: " + e.getMessage())
          .withCause(e)));
    }
    String arguments = new String(request.body(), StandardCharsets.UTF_8);
    long started = System.nanoTime();
    return generic.callJsonAsync(method, arguments).handle((result, failure) -> {
      double latencyMs = Math.round((System.nanoTime() - started) / 1_000.0) / 1_000.0;
      Map<String, Object> json = new LinkedHashMap<>();
      Map<String, Object> trailers = new LinkedHashMap<>();
      if (failure == null) {
        json.put("status", StatusCode.OK.name());
      } else {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
            : failure;
        Status status = Status.fromThrowable(cause);
        json.put("status", status.code().name());
        json.put("description", status.description());
        if (cause instanceof RpcException e && e.trailers() != null) {
          Metadata t = e.trailers();
          for (int i = 0; i < t.size(); i++) {
            if (t.value(i) instanceof String value) {
              trailers.put(t.name(i), value);
            }
          }
        }
      }
      json.put("latencyMs", latencyMs);
      json.put("headers", sent);
      json.put("trailers", trailers);
      String text = JsonText.write(json);
      if (failure == null) { // the result is JSON text already: put it in as it is
        text = "{\"result\":" + result + "," + text.substring(1);
      }
      return new ConsoleResponse(200, JSON, text.getBytes(StandardCharsets.UTF_8), NO_STORE);
    });
  }

  private RpcClient client() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the console is closed");
      }
      if (tryIt == null) {
        tryIt = host.newTryItClient();
      }
      return tryIt;
    }
  }

  // --- operator actions

  private CompletableFuture<ConsoleResponse> action(ConsoleRequest request, String action) {
    Admission admission = admitted(request, action);
    Status refusal = admission.refusal != null ? admission.refusal : authenticated(admission, action);
    if (refusal != null) {
      return done(error(refusal));
    }
    if (!request.method().equals("POST")) {
      return done(notAllowed(request, "POST"));
    }
    if (!"RUNNING".equals(host.state())) {
      return done(error(Status.FAILED_PRECONDITION.withDescription("the server is " + host.state()
          + " (expected: RUNNING)")));
    }
    if (!action.equals("drain") && host.registry() == null) {
      return done(error(Status.FAILED_PRECONDITION.withDescription(action + " needs a registry, and this server has"
          + " none (expected: RpcServer.builder().registry(...))")));
    }
    String caller = admission.head.get(BearerAuth.CALLER).getName();
    switch (action) {
      case "offline" -> host.deregister();
      case "online" -> host.register();
      default -> host.drain();
    }
    log.info("console: {} by {} from {}", action, caller, request.remoteAddress());
    return done(new ConsoleResponse(200, JSON, JsonText.write(serverState()).getBytes(StandardCharsets.UTF_8),
        NO_STORE));
  }

  // --- admission

  /** Admission as {@code read}, and for a caller not on this host ({@link #isLocal}) an authenticated caller. */
  private Status mayRead(ConsoleRequest request) {
    return isLocal(request) ? admitted(request, "read").refusal : mayAct(request, "read");
  }

  /** Admission, then an authenticated caller: what try-it and the operator actions need. */
  private Status mayAct(ConsoleRequest request, String method) {
    Admission admission = admitted(request, method);
    return admission.refusal != null ? admission.refusal : authenticated(admission, method);
  }

  private static Status authenticated(Admission admission, String method) {
    if (admission.head.get(BearerAuth.CALLER) == null) {
      return Status.PERMISSION_DENIED.withDescription(("read".equals(method) ? "the console's data, for a caller"
          + " not on this host," : "console action " + SERVICE + "/" + method) + " needs an authenticated caller"
          + " (expected: BearerAuth.server(...) on the server and a bearer token; see docs/console.md)");
    }
    return null;
  }

  private record Admission(CallHead head, Status refusal) {}

  private Admission admitted(ConsoleRequest request, String method) {
    CallHead head = new CallHead(SERVICE, method, null, request.headers(), request.remoteAddress());
    Status refusal = host.admit(head);
    // the core answers UNIMPLEMENTED for a service it does not export once the interceptors let the call through
    return new Admission(head, refusal == null || refusal.code() == StatusCode.UNIMPLEMENTED ? null : refusal);
  }

  // --- helpers

  private static CompletableFuture<ConsoleResponse> done(ConsoleResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  static ConsoleResponse error(Status status) {
    return error(HttpStatuses.of(status.code()), status);
  }

  private static ConsoleResponse error(int httpStatus, Status status) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("code", status.code().name());
    json.put("message", status.description() == null ? status.code().name() : status.description());
    return new ConsoleResponse(httpStatus, JSON, (JsonText.write(json) + "\n").getBytes(StandardCharsets.UTF_8),
        NO_STORE);
  }

  private static ConsoleResponse notAllowed(ConsoleRequest request, String allowed) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("code", StatusCode.UNIMPLEMENTED.name());
    json.put("message", request.method() + " is not allowed on the console's " + request.path() + " (allowed: "
        + allowed + ")");
    return new ConsoleResponse(405, JSON, (JsonText.write(json) + "\n").getBytes(StandardCharsets.UTF_8),
        Map.of("allow", allowed, "cache-control", "no-store"));
  }

  private static boolean isGet(ConsoleRequest request) {
    return request.method().equals("GET");
  }

  static boolean isLoopback(SocketAddress address) {
    if (!(address instanceof InetSocketAddress inet)) {
      return false; // an address the rule cannot read is not taken for loopback
    }
    InetAddress ip = inet.getAddress();
    return ip != null && ip.isLoopbackAddress();
  }

  private static String redact(String authorization) {
    int space = authorization.indexOf(' ');
    return (space > 0 ? authorization.substring(0, space + 1) : "") + "…(redacted)";
  }

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String contentType(String file) {
    return file.endsWith(".html") ? "text/html; charset=utf-8" : file.endsWith(".css") ? "text/css; charset=utf-8"
        : "text/javascript; charset=utf-8";
  }

  /** The query's parameters, decoded; the first of a repeated name counts. */
  static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(name, value);
    }
    return params;
  }

  private static byte[] resource(String file) {
    try (InputStream in = ConsoleHandler.class.getClassLoader().getResourceAsStream(RESOURCES + file)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + RESOURCES + file, e);
    }
  }
}
