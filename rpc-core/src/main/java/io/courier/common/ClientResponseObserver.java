package io.courier.common;

/**
 * A response observer that wants the call's request side before the call starts: for flow control of a
 * client stream, or to cancel a server-streaming call, whose stub method returns nothing.
 *
 * <pre>{@code
 * orders.watch(request, new ClientResponseObserver<WatchRequest, Order>() {
 *   private CallStreamObserver<WatchRequest> call;
 *   public void beforeStart(CallStreamObserver<WatchRequest> requests) { call = requests; }
 *   public void onNext(Order order) { if (order.isLast()) call.cancel("seen enough"); }
 *   public void onError(Throwable t) { ... }
 *   public void onCompleted() { ... }
 * });
 * }</pre>
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public interface ClientResponseObserver<ReqT, RespT> extends StreamObserver<RespT> {

  /**
   * Called on the caller's thread before the call starts. {@code requests} is the same observer a client- or
   * bidirectional-streaming stub method returns; for a server-streaming call it only serves to cancel.
   */
  void beforeStart(CallStreamObserver<ReqT> requests);
}
