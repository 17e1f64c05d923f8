package io.courier.transport;

/**
 * The core's side of one streaming call, called by the transport: inbound messages, the end of the
 * inbound stream, and changes of writability. A transport calls these from one thread at a time (usually
 * its I/O thread) and the core moves them to the call's executor; implementations never block.
 *
 * <p>Inbound flow control is pull-based, as in gRPC: the transport delivers at most as many messages as
 * the core asked for with {@link OutboundStream#request} and keeps the rest unread, so a slow consumer
 * slows the peer instead of filling memory.
 */
public interface StreamListener {

  /**
   * Client side only: the transport opened the stream; outbound messages go through {@code outbound}. Called
   * once, before any other method.
   */
  default void onStart(OutboundStream outbound) {}

  /** One decoded inbound message. */
  void onMessage(Object message);

  /** Server side: the client finished sending (half-close). Not called on the client side. */
  default void onHalfClose() {}

  /** The stream can take more outbound messages again ({@link OutboundStream#isReady()} turned true). */
  default void onReady() {}
}
