package io.courier.transport.tcp;

import io.courier.transport.ServerCallHandler;
import io.courier.transport.TransportContext;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Serves Courier's TCP framing on connections that another server accepted: the piece a server that shares
 * one port among several protocols (the {@code http2} transport) uses once it has seen a connection start with
 * the TCP magic {@code 0xC0DE}. The connections keep every behaviour of a {@code tcp} listener — limits,
 * heartbeats, GOAWAY on shutdown — but the event loops and the listening socket belong to the caller.
 *
 * <pre>{@code
 * TcpConnectionAcceptor tcp = new TcpConnectionAcceptor(context, calls);
 * // in the protocol detector, on the channel's event loop:
 * tcp.accept(channel);                 // appends the TCP handlers; bytes already read are passed on to them
 * ...
 * tcp.shutdown(grace).join();          // GOAWAY, let calls finish, close those connections
 * }</pre>
 */
public final class TcpConnectionAcceptor implements AutoCloseable {

  private final TcpServerTransport transport;

  /** Uses {@code context}'s serializers, {@link TcpOptions} and timer; calls go to {@code calls}. */
  public TcpConnectionAcceptor(TransportContext context, ServerCallHandler calls) {
    this.transport = new TcpServerTransport(Objects.requireNonNull(context, "context"), false);
    transport.handler(Objects.requireNonNull(calls, "calls"));
  }

  /**
   * Appends the TCP handlers to {@code channel}'s pipeline (or closes it when the connection limit is reached or
   * shutdown has begun). Call on the channel's event loop.
   */
  public void accept(Channel channel) {
    transport.accept(channel);
  }

  /** Sends GOAWAY on every TCP connection, lets calls in flight finish within {@code grace}, then closes them. */
  public CompletableFuture<Void> shutdown(Duration grace) {
    return transport.shutdown(grace);
  }

  /** Closes every TCP connection now. Idempotent. */
  @Override
  public void close() {
    transport.close();
  }
}
