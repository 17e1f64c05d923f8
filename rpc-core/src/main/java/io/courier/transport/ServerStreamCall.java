package io.courier.transport;

/**
 * An inbound call of a streaming method ({@code SERVER_STREAMING}, {@code CLIENT_STREAMING},
 * {@code BIDI_STREAMING}), as a transport that can stream presents it to the core. The core handles a
 * {@link ServerCall} of a streaming method that is not a {@code ServerStreamCall} by failing it with
 * {@code UNIMPLEMENTED}, so transports that cannot stream need do nothing.
 *
 * <p>Server streaming: the one request is read with {@link #readArguments()} as for a unary call (the
 * transport hands the call over once it has the whole request); responses go out with {@link #sendMessage}.
 * Client and bidirectional streaming: {@code readArguments()} is not called; requests reach the listener as
 * the core {@link #request}s them. The core calls {@link #start} once for every streaming call (for server
 * streaming only {@link StreamListener#onReady} is used). Every kind ends with
 * {@link #sendResponse} (whose value is sent as the last message only for client streaming, where the server
 * answers once) or {@link #sendError}.
 */
public interface ServerStreamCall extends ServerCall, OutboundStream {

  /** Starts delivering inbound messages and writability changes to {@code listener}. Called once. */
  void start(StreamListener listener);
}
