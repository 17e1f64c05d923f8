package io.courier.console;

import io.courier.transport.TlsConfig;
import java.util.Objects;

/**
 * Turns a server's console on ({@code RpcServer.Builder.console(options)}) and says who may reach it. Secure by
 * default: only callers from a loopback address, data admitted by the server's interceptors, try-it and operator
 * actions only for an authenticated caller. Immutable.
 *
 * <pre>{@code
 * RpcServer.builder().listen("rest", 8080).console(ConsoleOptions.builder().build())
 * }</pre>
 */
public final class ConsoleOptions {

  private final boolean allowRemote;
  private final boolean servedByApplication;
  private final TlsConfig clientTls;

  private ConsoleOptions(Builder b) {
    this.allowRemote = b.allowRemote;
    this.servedByApplication = b.servedByApplication;
    this.clientTls = b.clientTls;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether callers from other than a loopback address are served. */
  public boolean allowRemote() {
    return allowRemote;
  }

  /** Whether the application serves the console itself (the Spring Boot starter), so no listener needs to. */
  public boolean servedByApplication() {
    return servedByApplication;
  }

  /** The TLS settings of the client that makes try-it calls, or {@code null}. */
  public TlsConfig clientTls() {
    return clientTls;
  }

  @Override
  public String toString() {
    return "ConsoleOptions{allowRemote=" + allowRemote + ", servedByApplication=" + servedByApplication
        + ", clientTls=" + (clientTls != null) + "}";
  }

  /** Collects the options; every one has a safe default. */
  public static final class Builder {
    private boolean allowRemote;
    private boolean servedByApplication;
    private TlsConfig clientTls;

    private Builder() {}

    /**
     * Serves callers from any address, not only loopback ({@code false} by default). Such a caller gets the page,
     * and everything else only as an authenticated caller ({@code BearerAuth.CALLER}): put the server behind
     * {@code BearerAuth} (a server with no interceptor at all fails to build) and an {@code AccessPolicy} rule for
     * {@code courier.Console/*}. A request with one of {@link Console#RELAYED_HEADERS} is not taken for a loopback
     * caller's; a proxy that adds none (a TCP proxy) cannot be told from a local caller.
     */
    public Builder allowRemote(boolean allow) {
      this.allowRemote = allow;
      return this;
    }

    /**
     * The application serves the console itself, by calling {@code RpcServer.console().handle(...)} (as the Spring
     * Boot starter does under the actuator's base path), and only the application: the server's listeners do not
     * serve it, and it starts without one that serves REST.
     */
    public Builder servedByApplication(boolean served) {
      this.servedByApplication = served;
      return this;
    }

    /**
     * The TLS settings (trust, and an identity where the server asks for one) of the client that makes try-it calls
     * to this server's TLS listener. Without them, try-it is unavailable on a server whose listeners use TLS (the
     * answer says so); the rest of the console works.
     */
    public Builder clientTls(TlsConfig tls) {
      this.clientTls = Objects.requireNonNull(tls, "tls");
      if (tls.isServer()) {
        throw new IllegalArgumentException("clientTls: a server's TLS settings (expected: TlsConfig.forClient()"
            + ".trust(...), with .identity(...) where the server asks for client certificates)");
      }
      return this;
    }

    public ConsoleOptions build() {
      return new ConsoleOptions(this);
    }
  }
}
