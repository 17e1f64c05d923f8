package io.courier.common;

/** How many messages flow each way in a call, as in gRPC. */
public enum MethodKind {
  /** One request, one response: {@code R m(A a, B b)} or {@code CompletableFuture<R> m(...)}. */
  UNARY,
  /** One request, a stream of responses: {@code void m(Req r, StreamObserver<Resp> responses)}. */
  SERVER_STREAMING,
  /**
   * A stream of requests, one response: {@code StreamObserver<Req> m(StreamObserver<Resp> response)} with
   * {@code @RpcMethod(clientStreaming = true)}.
   */
  CLIENT_STREAMING,
  /** Streams both ways: {@code StreamObserver<Req> m(StreamObserver<Resp> responses)}. */
  BIDI_STREAMING;

  /** Whether the caller sends exactly one request message. */
  public boolean clientSendsOneMessage() {
    return this == UNARY || this == SERVER_STREAMING;
  }

  /** Whether the server sends exactly one response message. */
  public boolean serverSendsOneMessage() {
    return this == UNARY || this == CLIENT_STREAMING;
  }
}
