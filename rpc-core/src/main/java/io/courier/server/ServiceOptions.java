package io.courier.server;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a server runs one exported service: on the server's bounded worker pool (the default), on an executor
 * of your own, or directly on the I/O thread for services that never block. Immutable.
 *
 * <pre>{@code
 * RpcServer.builder().service(Clock.class, new ClockImpl(), ServiceOptions.DEFAULT.onIoThread())
 * }</pre>
 */
public final class ServiceOptions {

  public static final ServiceOptions DEFAULT = new ServiceOptions(null, false, List.of());

  private final Executor executor;
  private final boolean onIoThread;
  private final List<ServerInterceptor> interceptors;

  private ServiceOptions(Executor executor, boolean onIoThread, List<ServerInterceptor> interceptors) {
    this.executor = executor;
    this.onIoThread = onIoThread;
    this.interceptors = interceptors;
  }

  /**
   * Runs calls on the I/O thread that decoded them: no hand-off, lowest latency, but a call that blocks stalls
   * every connection on that thread. Only for services that never block.
   */
  public ServiceOptions onIoThread() {
    return new ServiceOptions(null, true, interceptors);
  }

  /** Runs calls on {@code executor}; its rejections fail calls with {@code RESOURCE_EXHAUSTED}. */
  public ServiceOptions executor(Executor executor) {
    return new ServiceOptions(Objects.requireNonNull(executor, "executor"), false, interceptors);
  }

  /** Interceptors for this service only, run after the server-wide ones. */
  public ServiceOptions interceptors(ServerInterceptor... serviceInterceptors) {
    return new ServiceOptions(executor, onIoThread, List.of(serviceInterceptors));
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
