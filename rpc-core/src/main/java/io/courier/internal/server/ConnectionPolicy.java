package io.courier.internal.server;

import io.courier.transport.ByteBudget;
import java.net.SocketAddress;

/**
 * What each connection of a server gets: its share of the workers, and its memory budgets within the server's.
 *
 * @param maxWorkerCalls most calls of one connection that occupy a worker at once
 * @param requestBytes the server's budget for request bytes held
 * @param responseBytes the server's budget for response bytes held
 * @param bytesPerConnection each connection's budget, in each direction, within the server's
 */
public record ConnectionPolicy(int maxWorkerCalls, ByteBudget requestBytes, ByteBudget responseBytes,
    long bytesPerConnection) {

  /** No per-connection limit and no budgets (tests, and dispatchers that serve on the I/O thread). */
  public static final ConnectionPolicy UNLIMITED = new ConnectionPolicy(Integer.MAX_VALUE, ByteBudget.unlimited(),
      ByteBudget.unlimited(), Long.MAX_VALUE);

  ConnectionCalls open(SocketAddress remoteAddress) {
    return new ConnectionCalls(remoteAddress, maxWorkerCalls,
        requestBytes.child("the connection's request budget (RpcServer.Builder.maxBufferedBytes, per connection)",
            bytesPerConnection),
        responseBytes.child("the connection's response budget (RpcServer.Builder.maxBufferedBytes, per connection)",
            bytesPerConnection));
  }
}
