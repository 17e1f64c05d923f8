package io.courier.spring.internal.console;

import io.courier.common.Metadata;
import io.courier.console.Console;
import io.courier.console.ConsoleRequest;
import io.courier.console.ConsoleResponse;
import io.courier.describe.JsonText;
import io.courier.spring.internal.ServerLifecycle;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.env.Environment;

/**
 * Serves a Courier server's {@link Console} in a servlet container, under the actuator's base path
 * ({@link #path(Environment)}, below Spring MVC's servlet path where that serves the actuator): each request's
 * headers, caller address and body (at most {@link Console#MAX_BODY_BYTES}: refused with {@code 413} by its
 * {@code content-length} before it is read, or as soon as it grows past that; read on the container thread, as Spring
 * MVC reads a request body) become a {@link ConsoleRequest}, and the {@link ConsoleResponse} is written back. An answer
 * that is not ready at once (a try-it call) is written through asynchronous servlet processing, so waiting for it
 * holds no container thread. Invariant: each request is answered exactly once.
 */
public final class ConsoleServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(ConsoleServlet.class);

  /** Where the console is below the actuator's base path. */
  public static final String SUBPATH = "/courier/console";

  /**
   * How long an answer may take before the servlet gives up on it: longer than the longest try-it timeout the console
   * accepts ({@link Console#MAX_CALL_TIMEOUT}), so a call's own deadline ends it first.
   */
  static final Duration ANSWER_TIMEOUT = Console.MAX_CALL_TIMEOUT.plusSeconds(30);

  private static final String JSON = "application/json";
  private static final int CHUNK = 8192;

  private final transient Supplier<Console> console;
  private final boolean containerForwarding;

  /** @param console the running server's console, or {@code null} while there is none (before start, after close) */
  public ConsoleServlet(Supplier<Console> console) {
    this(console, false);
  }

  /**
   * @param console the running server's console, or {@code null} while there is none (before start, after close)
   * @param containerForwarding whether the servlet container takes callers' addresses from forwarded headers
   *     ({@link #containerAppliesForwardedHeaders}): then no caller is taken for a loopback one
   */
  public ConsoleServlet(Supplier<Console> console, boolean containerForwarding) {
    this.console = console;
    this.containerForwarding = containerForwarding;
  }

  /**
   * Whether the servlet container itself takes callers' addresses from forwarded headers: {@code
   * server.forward-headers-strategy=native}, or the strategy unset on a cloud platform that uses forwarded headers
   * (Kubernetes, Cloud Foundry, ...), as Spring Boot decides. Tomcat's {@code RemoteIpValve} then takes the address
   * from {@code X-Forwarded-For} whenever every hop is in its internal ranges (private addresses and loopback) and
   * removes the header, so a request a proxy on this host relayed for a caller who wrote {@code 127.0.0.1} there cannot
   * be told from a local one.
   */
  public static boolean containerAppliesForwardedHeaders(Environment environment) {
    String strategy = environment.getProperty("server.forward-headers-strategy");
    if (strategy != null && !strategy.isBlank()) {
      return strategy.trim().equalsIgnoreCase("native");
    }
    CloudPlatform platform = CloudPlatform.getActive(environment);
    return platform != null && platform.isUsingForwardHeaders();
  }

  /**
   * The servlet registered at {@code path} and below, with asynchronous processing on, serving the console of the
   * server {@code server} runs (looked up per request: the servlet is registered before the server starts, and may
   * live in the actuator's own management context), with {@code environment}'s forwarded-headers strategy.
   */
  public static ServletRegistrationBean<ConsoleServlet> registration(ObjectProvider<ServerLifecycle> server,
      String path, Environment environment) {
    Supplier<Console> console = () -> {
      ServerLifecycle lifecycle = server.getIfAvailable();
      return lifecycle == null ? null : lifecycle.console();
    };
    ConsoleServlet servlet = new ConsoleServlet(console, containerAppliesForwardedHeaders(environment));
    ServletRegistrationBean<ConsoleServlet> registration = new ServletRegistrationBean<>(servlet, path, path + "/*");
    registration.setName("courierConsole");
    registration.setAsyncSupported(true);
    return registration;
  }

  /**
   * {@code ${management.endpoints.web.base-path}/courier/console} ({@code /actuator/courier/console} by default),
   * relative to the servlet that serves the actuator's endpoints.
   */
  public static String path(Environment environment) {
    String base = environment.getProperty("management.endpoints.web.base-path", "/actuator").trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (!base.isEmpty() && !base.startsWith("/")) {
      base = "/" + base;
    }
    return base + SUBPATH;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Console target = console.get();
    if (target == null) {
      write(response, error(503, "UNAVAILABLE", "the Courier server is not running (the console is served while"
          + " it runs: from the application's start to its shutdown)"));
      return;
    }
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    Metadata headers = headers(request);
    SocketAddress remote = remoteAddress(request, containerForwarding);
    // a caller the console refuses is answered on the request's head, before a byte of its body is read
    ConsoleResponse refusal = target.refusal(new ConsoleRequest(method, path, request.getQueryString(), headers,
        new byte[0], remote));
    if (refusal != null) {
      write(response, refusal);
      return;
    }
    long length = request.getContentLengthLong();
    if (length > Console.MAX_BODY_BYTES) {
      write(response, tooLarge(length));
      return;
    }
    byte[] body = length == 0 ? new byte[0] : readAtMost(request.getInputStream(), Console.MAX_BODY_BYTES);
    if (body == null) {
      write(response, tooLarge(-1));
      return;
    }
    ConsoleRequest consoleRequest = new ConsoleRequest(method, path, request.getQueryString(), headers, body, remote);
    CompletableFuture<ConsoleResponse> answer;
    try {
      answer = target.handle(consoleRequest);
    } catch (RuntimeException e) { // handle never throws, by contract; answer anyway if it did
      log.warn("the console failed on {} {}", consoleRequest.method(), consoleRequest.path(), e);
      answer = CompletableFuture.completedFuture(error(500, "INTERNAL", "the console failed: " + e));
    }
    if (answer.isDone()) {
      write(response, answer.join());
      return;
    }
    answerLater(request, response, answer);
  }

  /** Writes {@code answer} when it completes, from a container thread, unless the request ended first. */
  private static void answerLater(HttpServletRequest request, HttpServletResponse response,
      CompletableFuture<ConsoleResponse> answer) {
    AsyncContext async = request.startAsync(request, response);
    async.setTimeout(ANSWER_TIMEOUT.toMillis());
    AtomicBoolean answered = new AtomicBoolean();
    async.addListener(new AsyncListener() {
      @Override
      public void onTimeout(AsyncEvent event) throws IOException {
        if (answered.compareAndSet(false, true)) {
          write(response, error(504, "DEADLINE_EXCEEDED", "the console did not answer within "
              + ANSWER_TIMEOUT.toSeconds() + " s"));
          async.complete();
        }
      }

      @Override
      public void onError(AsyncEvent event) {
        if (answered.compareAndSet(false, true)) { // the caller went away: nothing to write to
          async.complete();
        }
      }

      @Override
      public void onComplete(AsyncEvent event) {}

      @Override
      public void onStartAsync(AsyncEvent event) {}
    });
    answer.whenComplete((result, failure) -> {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      // a try-it answer completes on a Netty event loop: write from a container thread, which may block
      async.start(() -> {
        try {
          write(response, failure == null ? result : error(500, "INTERNAL", "the console failed: " + failure));
        } catch (IOException | RuntimeException e) {
          log.debug("could not write the console's answer", e);
        } finally {
          async.complete();
        }
      });
    });
  }

  /** The bytes of {@code in}, or {@code null} as soon as there are more than {@code limit}. */
  static byte[] readAtMost(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[CHUNK];
    for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
      if (out.size() + n > limit) {
        return null;
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  /** Every header as metadata, names lower-cased, {@code -bin} values base64-decoded; what metadata refuses is left. */
  static Metadata headers(HttpServletRequest request) {
    Metadata.Builder b = Metadata.builder();
    for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements();) {
      String name = names.nextElement();
      String key = name.toLowerCase(Locale.ROOT);
      for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements();) {
        String value = values.nextElement();
        try {
          if (key.endsWith("-bin")) {
            b.add(key, Base64.getDecoder().decode(value.trim()));
          } else {
            b.add(key, value);
          }
        } catch (IllegalArgumentException notMetadata) {
          log.debug("console: leaving out header {}: {}", key, notMetadata.getMessage());
        }
      }
    }
    return b.build();
  }

  /**
   * The caller's address: {@code getRemoteAddr()} (the client's, or with forwarded headers applied by the container
   * or Spring's {@code ForwardedHeaderFilter} the original client's, as they read it) and port. An address that is not
   * an IP literal stays unresolved, so it is never taken for loopback and no name lookup is made. Nor is a loopback
   * address that the connection does not bear out (a forwarded header can name any address): one that arrived on a
   * connection whose local end is not loopback, or whose request, as the container received it (below every wrapper,
   * which may hide the headers it applied, as Spring's {@code ForwardedHeaderFilter} does), carries one of {@link
   * Console#RELAYED_HEADERS}; nor any loopback address when {@code containerForwarding} (the container may have
   * taken it from a header it then removed).
   */
  static SocketAddress remoteAddress(HttpServletRequest request, boolean containerForwarding) {
    String address = request.getRemoteAddr();
    int port = Math.max(0, request.getRemotePort());
    if (address != null && isIpLiteral(address)) {
      try {
        InetAddress ip = InetAddress.getByName(address);
        if (!ip.isLoopbackAddress() || !containerForwarding && onThisHost(request)) {
          return new InetSocketAddress(ip, port);
        }
        log.debug("console: {} is not taken for a loopback caller: the connection is not one, or a proxy relayed it",
            address);
      } catch (UnknownHostException e) {
        log.debug("console: remote address {} is not an IP address", address, e);
      }
    }
    return InetSocketAddress.createUnresolved(address == null ? "unknown" : address, port);
  }

  /** Whether the connection's local end is loopback and the request as received carries no proxy's header. */
  private static boolean onThisHost(HttpServletRequest request) {
    ServletRequest received = request;
    while (received instanceof ServletRequestWrapper wrapper) {
      received = wrapper.getRequest();
    }
    String local = received.getLocalAddr();
    if (local == null || !isIpLiteral(local)) {
      return false;
    }
    try {
      if (!InetAddress.getByName(local).isLoopbackAddress()) {
        return false;
      }
    } catch (UnknownHostException e) {
      return false;
    }
    if (received instanceof HttpServletRequest http) {
      for (String header : Console.RELAYED_HEADERS) {
        if (http.getHeader(header) != null) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isIpLiteral(String address) {
    if (address.indexOf(':') >= 0) {
      return true; // IPv6: InetAddress parses it without a lookup
    }
    if (address.isEmpty()) {
      return false;
    }
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (!(c >= '0' && c <= '9' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private static ConsoleResponse tooLarge(long length) {
    return error(413, "RESOURCE_EXHAUSTED", "the console takes bodies of at most " + Console.MAX_BODY_BYTES
        + " bytes" + (length >= 0 ? ", not " + length : ""));
  }

  /** An error in the console's own form: Courier's JSON error body. */
  static ConsoleResponse error(int status, String code, String message) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("code", code);
    json.put("message", message);
    return new ConsoleResponse(status, JSON, (JsonText.write(json) + "\n").getBytes(StandardCharsets.UTF_8),
        Map.of("cache-control", "no-store"));
  }

  private static void write(HttpServletResponse response, ConsoleResponse answer) throws IOException {
    response.setStatus(answer.status());
    response.setContentType(answer.contentType());
    answer.headers().forEach(response::setHeader);
    response.setContentLength(answer.body().length);
    response.getOutputStream().write(answer.body());
  }
}
