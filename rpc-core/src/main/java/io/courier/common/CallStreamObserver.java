package io.courier.common;

/**
 * The outbound side of a stream as Courier hands it to application code, with flow control and
 * cancellation: the request observer a client- or bidirectional-streaming stub method returns, and the
 * response observer a streaming service method receives. Modelled on grpc-java's {@code CallStreamObserver}.
 *
 * <p>Backpressure: {@link #isReady()} says whether the transport can take another message without buffering
 * it; when it turns true again the handler set with {@link #setOnReadyHandler} runs. Writers that respect it
 * never buffer more than the transport's flow-control window.
 *
 * <pre>{@code
 * StreamObserver<Chunk> upload = files.upload(resultObserver);
 * CallStreamObserver<Chunk> chunks = (CallStreamObserver<Chunk>) upload;
 * chunks.setOnReadyHandler(() -> {
 *   while (chunks.isReady() && source.hasNext()) {
 *     chunks.onNext(source.next());
 *   }
 *   if (!source.hasNext()) {
 *     chunks.onCompleted();
 *   }
 * });
 * }</pre>
 *
 * <p>Methods may be called from any thread, but not concurrently: one writer at a time, as with
 * {@link StreamObserver}.
 *
 * @param <T> the message type
 */
public interface CallStreamObserver<T> extends StreamObserver<T> {

  /** Whether another message can be sent now without being buffered; false before the stream is open. */
  boolean isReady();

  /**
   * Runs {@code onReady} (on the call's executor, never concurrently with the other callbacks of the call)
   * each time {@link #isReady()} turns true, including once when the stream opens.
   */
  void setOnReadyHandler(Runnable onReady);

  /** Whether the call was cancelled: by the peer, by its deadline, or by {@link #cancel}. */
  boolean isCancelled();

  /** Runs {@code onCancel} once if the call is cancelled before it completes normally; at once if it is. */
  void setOnCancelHandler(Runnable onCancel);

  /**
   * Abandons the call: a client resets the stream and its response observer gets {@code CANCELLED}; a server
   * ends the call with {@code CANCELLED}. Does nothing once the call is complete.
   */
  void cancel(String reason);
}
