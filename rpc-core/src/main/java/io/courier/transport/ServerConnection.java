package io.courier.transport;

import java.net.SocketAddress;

/**
 * What the core keeps for one connection a server transport serves: the connection's share of the worker pool, its
 * memory budgets, and whether any call on it has been admitted. A transport gets one from
 * {@link ServerCallHandler#openConnection} when it accepts the connection, names it when it admits each call
 * ({@link ServerCallHandler#admit}) and hands it back with the call ({@link ServerCall#connection()}); it calls
 * {@link #close()} when the connection closes. Thread-safe.
 */
public interface ServerConnection {

  /** The peer's address. */
  SocketAddress remoteAddress();

  /** Whether a call on this connection has been admitted: the peer passed the server's admission checks once. */
  boolean admittedAny();

  /**
   * Request bytes of this connection the server holds — received and not yet decoded, including frames and messages
   * still arriving — within the server's total. Reserve before buffering; a transport that cannot refuses the call.
   */
  ByteBudget requestBytes();

  /**
   * Response bytes of this connection the server holds — encoded and not yet on the wire (a peer that does not read
   * leaves them queued) — within the server's total. Reserve before queueing; a transport that cannot fails the call
   * with {@code RESOURCE_EXHAUSTED}.
   */
  ByteBudget responseBytes();

  /** The connection closed: calls of it still waiting for a worker are not started. Idempotent. */
  void close();
}
