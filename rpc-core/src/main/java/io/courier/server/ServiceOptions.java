package io.courier.server;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a server runs one exported service: on the server's bounded worker pool (the default), on an executor
 * of your own, or directly on the I/O thread for services that never block; and, with a registry, the version and
 * group it is registered under when they differ from the {@code @RpcService}'s. Immutable.
 *
 * <pre>{@code
 * RpcServer.builder().service(Clock.class, new ClockImpl(), ServiceOptions.DEFAULT.onIoThread())
 * RpcServer.builder().service(Greeter.class, new CanaryGreeter(), ServiceOptions.DEFAULT.version("2.0-canary"))
 * }</pre>
 */
public final class ServiceOptions {

  public static final ServiceOptions DEFAULT = new ServiceOptions(null, false, List.of(), null, null);

  private final Executor executor;
  private final boolean onIoThread;
  private final List<ServerInterceptor> interceptors;
  private final String version;
  private final String group;

  private ServiceOptions(Executor executor, boolean onIoThread, List<ServerInterceptor> interceptors, String version,
      String group) {
    this.executor = executor;
    this.onIoThread = onIoThread;
    this.interceptors = interceptors;
    this.version = version;
    this.group = group;
  }

  /**
   * Runs calls on the I/O thread that decoded them: no hand-off, lowest latency, but a call that blocks stalls
   * every connection on that thread. Only for services that never block.
   */
  public ServiceOptions onIoThread() {
    return new ServiceOptions(null, true, interceptors, version, group);
  }

  /** Runs calls on {@code executor}; its rejections fail calls with {@code RESOURCE_EXHAUSTED}. */
  public ServiceOptions executor(Executor executor) {
    return new ServiceOptions(Objects.requireNonNull(executor, "executor"), false, interceptors, version, group);
  }

  /** Interceptors for this service only, run after the server-wide ones. */
  public ServiceOptions interceptors(ServerInterceptor... serviceInterceptors) {
    return new ServiceOptions(executor, onIoThread, List.of(serviceInterceptors), version, group);
  }

  /**
   * Registers the service under this version instead of its {@code @RpcService}'s; consumers asking for it (by the
   * annotation, or with {@code ClusterOptions.VERSION}) find it.
   */
  public ServiceOptions version(String registeredVersion) {
    return new ServiceOptions(executor, onIoThread, interceptors, label("version", registeredVersion), group);
  }

  /** Registers the service in this group instead of its {@code @RpcService}'s. */
  public ServiceOptions group(String registeredGroup) {
    return new ServiceOptions(executor, onIoThread, interceptors, version, label("group", registeredGroup));
  }

  /** The version set here, or {@code null} for the {@code @RpcService}'s. */
  public String version() {
    return version;
  }

  /** The group set here, or {@code null} for the {@code @RpcService}'s. */
  public String group() {
    return group;
  }

  private static String label(String what, String value) {
    Objects.requireNonNull(value, what);
    return value.trim();
  }

  /** The executor set here, or {@code null} for the server's pool (or the I/O thread). */
  public Executor executor() {
    return executor;
  }

  public boolean isOnIoThread() {
    return onIoThread;
  }

  public List<ServerInterceptor> interceptors() {
    return interceptors;
  }
}
