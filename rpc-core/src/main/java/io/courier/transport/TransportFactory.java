package io.courier.transport;

/**
 * Creates the client and server halves of one transport. Implementations are listed in
 * {@code META-INF/services/io.courier.transport.TransportFactory} and chosen by {@link #name()}, or passed
 * to a builder directly.
 */
public interface TransportFactory {

  /** The name used in configuration, for example {@code "tcp"}, {@code "http2"}, {@code "inprocess"}. */
  String name();

  /** A client transport; it owns its connections and threads until closed. */
  ClientTransport newClientTransport(TransportContext context);

  /** A server transport, not yet listening. */
  ServerTransport newServerTransport(TransportContext context);
}
