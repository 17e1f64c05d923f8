package io.courier.transport.tcp;

import io.courier.transport.ClientTransport;
import io.courier.transport.ServerTransport;
import io.courier.transport.TlsConfig;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;
import io.courier.transport.TransportOption;
import io.courier.transport.TransportOptions;
import java.util.Set;

/**
 * Courier's own binary framing over TCP, on Netty: long-lived multiplexed connections, heartbeats,
 * reconnect with backoff, batched writes and graceful close. Settings are in {@link TcpOptions}; the wire
 * format is in {@code docs/tcp-wire-format.md}.
 */
public final class TcpTransportFactory implements TransportFactory {

  @Override
  public String name() {
    return "tcp";
  }

  @Override
  public ClientTransport newClientTransport(TransportContext context) {
    return new TcpClientTransport(context);
  }

  @Override
  public ServerTransport newServerTransport(TransportContext context) {
    return new TcpServerTransport(context);
  }

  @Override
  public Set<TransportOption<?>> clientOptions() {
    return CLIENT_OPTIONS;
  }

  @Override
  public Set<TransportOption<?>> serverOptions() {
    return SERVER_OPTIONS;
  }

  /** What a {@code tcp} server reads for its connections, on its own port or on a shared one. */
  public static final Set<TransportOption<?>> CONNECTION_OPTIONS = Set.of(TcpOptions.MAX_FRAME_SIZE,
      TcpOptions.MAX_HEADER_SIZE, TcpOptions.MAX_METADATA_ENTRIES, TcpOptions.HEARTBEAT_INTERVAL,
      TcpOptions.MAX_CONNECTIONS, TcpOptions.MAX_CONCURRENT_CALLS_PER_CONNECTION, TcpOptions.READ_TIMEOUT);

  private static final Set<TransportOption<?>> CLIENT_OPTIONS = Set.of(TlsConfig.OPTION, TcpOptions.MAX_FRAME_SIZE,
      TcpOptions.MAX_HEADER_SIZE, TcpOptions.MAX_METADATA_ENTRIES, TcpOptions.HEARTBEAT_INTERVAL,
      TcpOptions.CONNECTIONS_PER_ENDPOINT, TcpOptions.CONNECT_TIMEOUT, TcpOptions.RECONNECT_BACKOFF_MIN,
      TcpOptions.RECONNECT_BACKOFF_MAX, TcpOptions.IO_THREADS, TcpOptions.NATIVE_TRANSPORT, TcpOptions.READ_TIMEOUT);

  private static final Set<TransportOption<?>> SERVER_OPTIONS = TransportOptions.union(CONNECTION_OPTIONS,
      Set.of(TlsConfig.OPTION, TcpOptions.IO_THREADS, TcpOptions.NATIVE_TRANSPORT));
}
