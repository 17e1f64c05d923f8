package io.courier.transport.tcp;

import io.courier.transport.TlsConfig;
import io.courier.transport.TransportOptions;
import io.courier.transport.netty.TlsContextSource;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@link TcpOptions} of one client or server, read once. */
record TcpSettings(int maxFrameSize, int maxHeaderSize, int maxMetadataEntries, long heartbeatMillis,
    int maxConnections, int maxConcurrentCallsPerConnection, long readTimeoutMillis, TlsContextSource tls) {

  /**
   * Reads the options; builds the TLS context if {@link TlsConfig#OPTION} is set and {@code withTls} (a port-sharing
   * server terminates TLS itself before it hands a connection over).
   */
  static TcpSettings of(TransportOptions options, boolean server, boolean withTls) {
    TlsConfig config = withTls ? options.get(TlsConfig.OPTION) : null;
    TlsContextSource tls = config == null ? null : server ? TlsContextSource.forServer(config, List.of())
        : TlsContextSource.forClient(config, List.of());
    return new TcpSettings(options.get(TcpOptions.MAX_FRAME_SIZE), options.get(TcpOptions.MAX_HEADER_SIZE),
        options.get(TcpOptions.MAX_METADATA_ENTRIES), options.get(TcpOptions.HEARTBEAT_INTERVAL).toMillis(),
        options.get(TcpOptions.MAX_CONNECTIONS), options.get(TcpOptions.MAX_CONCURRENT_CALLS_PER_CONNECTION),
        options.get(TcpOptions.READ_TIMEOUT).toMillis(), tls);
  }

  /**
   * A client's decoder: frames read within the read timeout, so that a server trickling one answer cannot keep
   * every later answer on the connection waiting behind it (the heartbeat sees bytes, and closes nothing).
   */
  TcpFrameDecoder newDecoder() {
    return new TcpFrameDecoder(maxFrameSize, maxHeaderSize, maxMetadataEntries, readTimeoutMillis, null);
  }

  /** A server's decoder: requests decided on their headers by {@code gate}, frames read within the read timeout. */
  TcpFrameDecoder newServerDecoder(TcpFrameDecoder.RequestGate gate) {
    return new TcpFrameDecoder(maxFrameSize, maxHeaderSize, maxMetadataEntries, readTimeoutMillis, gate);
  }

  /**
   * Servers: reports "reader idle" after three heartbeat intervals without a byte, which closes the connection.
   * Clients: reports "reader idle" after every interval without a byte; the connection pings, and closes at the third
   * in a row. Only reads are watched: an {@code IdleStateHandler} that watches writes makes a promise and a listener
   * for every message written.
   */
  IdleStateHandler newIdleHandler(boolean client) {
    return new IdleStateHandler(client ? heartbeatMillis : 3 * heartbeatMillis, 0, 0, TimeUnit.MILLISECONDS);
  }
}
