package io.courier.common;

/**
 * Receives the messages of a stream, on streaming methods served over HTTP/2. The same interface is used
 * on both sides, as in gRPC: a server-streaming method takes one to send its responses into; a
 * bidirectional method takes one for its responses and returns one that receives the requests.
 *
 * <pre>{@code
 * void listUsers(ListRequest request, StreamObserver<User> responses);
 * StreamObserver<Chunk> upload(StreamObserver<UploadResult> result);
 * }</pre>
 *
 * @param <T> the message type
 */
public interface StreamObserver<T> {

  /** One message. */
  void onNext(T value);

  /** The stream failed; no further calls follow. */
  void onError(Throwable t);

  /** The stream ended normally; no further calls follow. */
  void onCompleted();
}
