package io.courier.testing;

import io.courier.client.RpcClient;
import io.courier.common.Endpoint;
import io.courier.server.RpcServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a real {@link RpcServer} for a test class, as Armeria's {@code ServerExtension} does: every listener on a free
 * port of the loopback address, started before the class's tests (and before its {@code @BeforeAll} methods) and
 * closed after them. Registered on an instance field instead of a static one, it runs one server per test — unless the
 * class has {@code @TestInstance(PER_CLASS)}, whose instance fields live as long as the class.
 *
 * <pre>{@code
 * class GreeterTest {
 *   @RegisterExtension
 *   static final RpcServerExtension server = RpcServerExtension.builder()
 *       .listen("tcp")
 *       .service(Greeter.class, new FriendlyGreeter())
 *       .configure(builder -> builder.option(TcpOptions.MAX_FRAME_SIZE, 1 << 20))
 *       .build();
 *
 *   @Test
 *   void greets() {
 *     try (RpcClient client = server.clientBuilder().serializer("kryo").build()) {
 *       assertThat(client.create(Greeter.class).greet("Courier")).isEqualTo("Hello, Courier!");
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Each start builds the server anew from the builder's steps, in order, so services and settings a step reads
 * from the test (an instance field, for a per-test server) are read when the server starts.
 */
public final class RpcServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {

  private final Supplier<RpcServer.Builder> builder;
  private final List<String> transports;
  private RpcServer server; // between start and stop; JUnit calls an extension from one thread at a time
  private boolean perTest;
  private int classDepth; // a static extension also sees the beforeAll and afterAll of @Nested classes

  private RpcServerExtension(Supplier<RpcServer.Builder> builder, List<String> transports) {
    this.builder = builder;
    this.transports = transports;
  }

  /** A builder of the server: what it listens on, what it serves, and anything else {@link RpcServer.Builder} sets. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An extension that starts the server {@code builder} makes, for a test that has a builder factory of its own; the
   * builder decides where the server listens (port 0, please).
   */
  public static RpcServerExtension of(Supplier<RpcServer.Builder> builder) {
    return new RpcServerExtension(Objects.requireNonNull(builder, "builder"), List.of());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (classDepth++ == 0) {
      start(false);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (server == null) { // not started for the class: registered on an instance field, one server per test
      start(true);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (--classDepth == 0) {
      stop();
    }
  }

  private void start(boolean forOneTest) {
    server = builder.get().build().start();
    perTest = forOneTest;
  }

  private void stop() {
    RpcServer running = server;
    server = null;
    if (running != null) {
      running.close();
    }
  }

  /** The running server. */
  public RpcServer server() {
    RpcServer running = server;
    if (running == null) {
      throw new IllegalStateException("the server is not running: it runs from before the class's tests (a static "
          + "@RegisterExtension field) or each test (an instance field) until after them");
    }
    return running;
  }

  /** The port of the server's first listener. */
  public int port() {
    return server().port();
  }

  /** The port of the server's {@code transport} listener. */
  public int port(String transport) {
    return server().port(transport);
  }

  /** Where the server's first listener is, as {@code host:port}, for {@link RpcClient.Builder#address}. */
  public String address() {
    return address(server().addresses().get(0));
  }

  /** Where the server's {@code transport} listener is, as {@code host:port}. */
  public String address(String transport) {
    int index = transports.indexOf(transport);
    if (index < 0) {
      throw new IllegalArgumentException("transport: '" + transport + "' (expected: one of " + transports + ")");
    }
    return address(server().addresses().get(index));
  }

  private static String address(InetSocketAddress bound) {
    return Endpoint.of(bound).toString();
  }

  /**
   * A client builder aimed at the server's first listener, with its transport; the caller builds, and closes, the
   * client.
   */
  public RpcClient.Builder clientBuilder() {
    if (transports.isEmpty()) {
      throw new IllegalStateException("clientBuilder(): the server came from of(...), whose transports this extension"
          + " does not know; use RpcClient.builder().transport(...).address(address())");
    }
    return clientBuilder(transports.get(0));
  }

  /** A client builder aimed at the server's {@code transport} listener; the caller builds, and closes, the client. */
  public RpcClient.Builder clientBuilder(String transport) {
    return RpcClient.builder().transport(transport).address(address(transport));
  }

  /** What the server listens on and serves; {@link #build} makes the extension. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private final List<String> transports = new ArrayList<>();
    private final List<Consumer<RpcServer.Builder>> steps = new ArrayList<>();

    private Builder() {}

    /** The address the listeners bind; the loopback address unless set. */
    public Builder host(String bindHost) {
      this.host = Objects.requireNonNull(bindHost, "bindHost");
      return this;
    }

    /** Adds a listener of {@code transport} ({@code "tcp"}, {@code "http2"}, {@code "rest"}, ...) on a free port. */
    public Builder listen(String transport) {
      Objects.requireNonNull(transport, "transport");
      if (transports.contains(transport)) {
        throw new IllegalArgumentException("transport: '" + transport + "' (expected: one listener per transport)");
      }
      transports.add(transport);
      return this;
    }

    /** Exports {@code implementation} as {@code type}, as {@link RpcServer.Builder#service(Class, Object)}. */
    public <T> Builder service(Class<T> type, T implementation) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(implementation, "implementation");
      return configure(server -> server.service(type, implementation));
    }

    /** Anything else the server needs (options, interceptors, TLS, ...), applied to its builder at each start. */
    public Builder configure(Consumer<RpcServer.Builder> step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    /**
     * The extension.
     *
     * @throws IllegalArgumentException if no listener was added
     */
    public RpcServerExtension build() {
      if (transports.isEmpty()) {
        throw new IllegalArgumentException("listen: none (expected: at least one transport, e.g. listen(\"tcp\"))");
      }
      String bindHost = host;
      List<String> listeners = List.copyOf(transports);
      List<Consumer<RpcServer.Builder>> configuration = List.copyOf(steps);
      return new RpcServerExtension(() -> {
        RpcServer.Builder server = RpcServer.builder().host(bindHost);
        for (String transport : listeners) {
          server.listen(transport, 0);
        }
        configuration.forEach(step -> step.accept(server));
        return server;
      }, listeners);
    }
  }
}
