package io.courier.transport;

import io.courier.client.Invocation;
import io.courier.common.Endpoint;
import java.util.concurrent.CompletableFuture;

/**
 * Sends calls to endpoints and completes their futures with the replies. Owns its connections: they are
 * opened on first use, shared by many concurrent calls, and closed with the transport.
 *
 * <p>Contract for {@link #call}: the returned future completes exactly once, with the decoded result, or
 * with an {@code RpcException} ({@code UNAVAILABLE} if the endpoint cannot be reached or the connection
 * drops while the call is pending). When the invocation is cancelled, the transport completes the future
 * with the cancellation status, forgets the call and tells the peer where its protocol allows. A call never
 * stays pending after its invocation is cancelled or its connection is closed. A call failed because its
 * connection closed after the request was handed to it carries a {@link ConnectionLostException} as the
 * status's cause, so that the cluster layer does not run a non-idempotent call twice.
 *
 * <p>Streaming: an invocation with a {@link Invocation#stream()} listener is a streaming call. A transport that
 * can stream opens a stream, sends the request of a server-streaming call itself, hands the listener the
 * {@link OutboundStream} with {@link StreamListener#onStart}, delivers response messages as the listener
 * requests them, and completes the future with {@code null} when the stream ends successfully. A transport
 * that cannot stream fails the future at once with {@code UNIMPLEMENTED}, saying which transport can.
 */
public interface ClientTransport extends AutoCloseable {

  /** Starts one call on a connection to {@code endpoint}. Never throws; failures complete the future. */
  CompletableFuture<Object> call(Endpoint endpoint, Invocation invocation);

  /**
   * Discovery no longer lists {@code endpoint}: stop keeping connections to it. Calls pending there may finish;
   * the connections close once they have. A later call to the endpoint connects again. The default does nothing.
   */
  default void disconnect(Endpoint endpoint) {}

  /** Fails pending calls with {@code UNAVAILABLE} and releases connections and threads. Idempotent. */
  @Override
  void close();
}
