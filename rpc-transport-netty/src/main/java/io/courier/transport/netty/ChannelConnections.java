package io.courier.transport.netty;

import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerConnection;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The {@link ServerConnection} of a Netty channel: opened by the first protocol handler that asks, kept on the
 * channel, closed when the channel closes. Every protocol served on one connection (gRPC and REST over h2 on a shared
 * port, say) shares it, so the connection's share of the workers is one whatever it speaks.
 *
 * <pre>{@code
 * ServerConnection connection = ChannelConnections.of(channel, calls);   // on the channel's event loop
 * Status refusal = calls.admit(connection, head);
 * }</pre>
 */
public final class ChannelConnections {

  private static final AttributeKey<ServerConnection> KEY = AttributeKey.valueOf(ChannelConnections.class,
      "connection");

  private ChannelConnections() {}

  /** The channel's connection, opened now if it has none. Call on the channel's event loop. */
  public static ServerConnection of(Channel channel, ServerCallHandler calls) {
    ServerConnection connection = channel.attr(KEY).get();
    if (connection == null) {
      ServerConnection opened = calls.openConnection(channel.remoteAddress());
      channel.attr(KEY).set(opened);
      channel.closeFuture().addListener(f -> opened.close());
      connection = opened;
    }
    return connection;
  }
}
