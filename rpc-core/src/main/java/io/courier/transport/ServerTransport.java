package io.courier.transport;

import io.courier.common.MethodDescriptor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Accepts connections on one address and hands each decoded request to a {@link ServerCallHandler}. */
public interface ServerTransport extends AutoCloseable {

  /**
   * Binds {@code address} (port 0 picks a free port) and starts serving. The address is unresolved; the
   * transport resolves its host name itself (the in-process transport uses it as the server name).
   *
   * @return the bound address
   * @throws java.io.UncheckedIOException if the address cannot be bound; the message names it
   */
  InetSocketAddress start(InetSocketAddress address, ServerCallHandler handler);

  /** The bound address, or {@code null} before {@link #start}. */
  InetSocketAddress localAddress();

  /**
   * Stops accepting connections and new calls at once, tells connected clients to go elsewhere where the
   * protocol allows, lets calls in flight finish for up to {@code gracePeriod}, then closes every
   * connection. The future completes when all is closed.
   */
  CompletableFuture<Void> shutdown(Duration gracePeriod);

  /**
   * How this listener routes REST requests to a method ({@code "GET /users/{id}"}, for the service descriptions and
   * the console), or {@code null} if it serves no REST — then neither does it serve the console. Valid after
   * {@link #start}.
   */
  default Function<MethodDescriptor, String> restRoutes() {
    return null;
  }

  /** Closes everything now; calls in flight are abandoned. Idempotent. */
  @Override
  void close();
}
