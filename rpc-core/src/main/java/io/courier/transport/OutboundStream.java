package io.courier.transport;

/**
 * The transport's side of one streaming call, called by the core: outbound messages and inbound demand.
 * Implementations are thread-safe and never block; writes are queued to the I/O thread.
 */
public interface OutboundStream {

  /** Encodes and sends one message; dropped once the call is closed or cancelled. */
  void sendMessage(Object message);

  /** Client side: no more messages follow (HTTP/2 END_STREAM). The server side closes with the call. */
  void halfClose();

  /** Whether a message sent now would go out without waiting for flow-control credit. */
  boolean isReady();

  /** Asks for {@code count} more inbound messages; the transport reads no further until asked. */
  void request(int count);
}
