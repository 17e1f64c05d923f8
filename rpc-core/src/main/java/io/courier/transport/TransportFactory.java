package io.courier.transport;

import java.util.Set;

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

  /**
   * The options a client of this transport reads. {@code RpcClient.Builder.build()} refuses an option its transport
   * does not read, naming it, so that a setting (a protection above all) never silently does nothing.
   */
  Set<TransportOption<?>> clientOptions();

  /**
   * The options a server listener of this transport reads. {@code RpcServer.Builder.build()} refuses an option none
   * of its listeners reads, and {@link TlsConfig#OPTION} unless every listener reads it.
   */
  Set<TransportOption<?>> serverOptions();
}
