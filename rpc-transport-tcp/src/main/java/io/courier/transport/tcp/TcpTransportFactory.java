package io.courier.transport.tcp;

import io.courier.transport.ClientTransport;
import io.courier.transport.ServerTransport;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;

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
}
