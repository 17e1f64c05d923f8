package io.courier.transport.http2;

import io.courier.transport.TransportOption;
import io.courier.transport.TransportOptions;
import java.util.Set;

/**
 * What a module that serves requests on an {@code http2} port next to gRPC (through an {@link Http1Handler}) tells the
 * port, found with {@link java.util.ServiceLoader} ({@code META-INF/services/io.courier.transport.http2.Http2Binding}):
 * the server options it reads, which an {@code http2} listener then accepts as its own, and a check of them when a
 * server starts. So the {@code http2} transport names no binding: the REST binding ({@code courier-transport-rest},
 * {@code io.courier.transport.rest.RestBinding}) is one, and without it on the class path an {@code http2} listener
 * accepts only its own options and those of Courier TCP.
 *
 * <p>An implementation has a public no-argument constructor, and is stateless.
 */
public interface Http2Binding {

  /** The options a server reads for this binding: an {@code http2} listener accepts them. */
  Set<TransportOption<?>> serverOptions();

  /**
   * Checks a server's options when it starts, before it binds, and fails the start (by throwing an {@link
   * IllegalArgumentException} that names the problem) on a configuration error. The default accepts any.
   *
   * @param hook the port's {@link Http2Options#HTTP1_HANDLER}, or {@code null} if it serves gRPC (and Courier TCP) only
   */
  default void checkServer(TransportOptions options, Http1Handler hook) {}
}
