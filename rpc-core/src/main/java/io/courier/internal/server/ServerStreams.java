package io.courier.internal.server;

import io.courier.common.CallStreamObserver;
import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.Status;
import io.courier.common.StreamObserver;
import io.courier.internal.common.SerialExecutor;
import io.courier.server.ServerContext;
import io.courier.server.ServerInvocation;
import io.courier.transport.ServerStreamCall;
import io.courier.transport.StreamListener;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The server's side of one streaming call: calls the implementation with a response observer, feeds the
 * request observer it returns, and completes {@link #done} when the implementation ends the call — the
 * future the server interceptors (deadline, metrics) see, as for a unary call.
 *
 * <p>Every callback into service code (request messages, half-close, on-ready, cancellation) runs on the
 * service's executor, one at a time, with the call's {@link ServerContext} attached. Inbound flow control: one
 * request message is asked for once the request observer exists and one more after each {@code onNext}
 * returns. Invariant: {@link #requests} is set before the first message is requested. A half-close is not requested:
 * one that arrives before the implementation has returned its request observer (a client that sends nothing and
 * half-closes at once) waits for it.
 */
final class ServerStreams implements StreamListener {

  private final MethodDescriptor method;
  private final ServerStreamCall call;
  private final ServerContext context;
  private final SerialExecutor callbacks;
  private final Runnable beforeFirstSend;
  final CompletableFuture<Object> done = new CompletableFuture<>();
  private final ResponseObserver responses = new ResponseObserver();
  private volatile StreamObserver<Object> requests;
  private volatile Runnable onReady;
  private volatile Runnable onCancel;
  private boolean inboundDone; // touched only by callbacks
  private boolean halfClosePending; // touched only by callbacks: half-closed before requests was set

  ServerStreams(MethodDescriptor method, ServerStreamCall call, ServerContext context, Executor executor,
      Runnable beforeFirstSend) {
    this.method = method;
    this.call = call;
    this.context = context;
    this.callbacks = new SerialExecutor(executor);
    this.beforeFirstSend = beforeFirstSend;
  }

  /** Calls the implementation; runs on the worker with the context attached. */
  CompletableFuture<Object> invoke(MethodHandle invoker, ServerInvocation invocation) throws Throwable {
    context.onCancel(() -> callbacks.execute(this::cancelled));
    call.start(this);
    if (method.kind() == MethodKind.SERVER_STREAMING) {
      Object ignored = (Object) invoker.invokeExact(new Object[] {invocation.arguments()[0], responses});
    } else {
      Object observer = (Object) invoker.invokeExact(new Object[] {responses});
      if (observer == null) {
        throw new NullPointerException(method.fullName() + " returned a null StreamObserver (expected: the "
            + "observer that receives the requests)");
      }
      @SuppressWarnings("unchecked")
      StreamObserver<Object> typed = (StreamObserver<Object>) observer;
      requests = typed;
      callbacks.execute(this::halfCloseIfPending); // after the write above: sees a half-close that came too early
      call.request(1);
    }
    onReady(); // a fresh stream is ready: run the on-ready handler the implementation may have set
    return done;
  }

  @Override
  public void onMessage(Object message) {
    callbacks.execute(() -> {
      if (inboundDone || done.isDone()) {
        return;
      }
      if (runInContext(() -> requests.onNext(message))) {
        call.request(1);
      }
    });
  }

  @Override
  public void onHalfClose() {
    callbacks.execute(() -> {
      if (inboundDone || done.isDone()) {
        return;
      }
      if (requests == null) { // the implementation has not returned its request observer yet
        halfClosePending = true;
        return;
      }
      inboundDone = true;
      runInContext(() -> requests.onCompleted());
    });
  }

  private void halfCloseIfPending() {
    if (halfClosePending && !inboundDone && !done.isDone()) {
      inboundDone = true;
      runInContext(() -> requests.onCompleted());
    }
  }

  @Override
  public void onReady() {
    callbacks.execute(() -> {
      Runnable handler = onReady;
      if (handler != null && !done.isDone()) {
        runInContext(handler);
      }
    });
  }

  private void cancelled() {
    StreamObserver<Object> observer = requests;
    Status status = context.cancellationStatus();
    if (!inboundDone && observer != null) {
      inboundDone = true;
      runInContext(() -> observer.onError(status.asException()));
    }
    Runnable handler = onCancel;
    if (handler != null) {
      runInContext(handler);
    }
  }

  /** Runs service code; a throw fails the call. Returns whether it completed normally. */
  private boolean runInContext(Runnable code) {
    ServerContext previous = ServerContext.attach(context);
    try {
      code.run();
      return true;
    } catch (RuntimeException | Error e) {
      done.completeExceptionally(e);
      return false;
    } finally {
      ServerContext.detach(previous);
    }
  }

  /** The observer a streaming service method sends its responses into. */
  private final class ResponseObserver implements CallStreamObserver<Object> {
    private Object single; // client streaming: the one response; guarded by this
    private boolean hasSingle; // guarded by this

    @Override
    public void onNext(Object value) {
      if (context.isCancelled()) {
        throw context.cancellationStatus().asException();
      }
      if (done.isDone()) {
        throw new IllegalStateException("onNext after the call of " + method.fullName() + " ended");
      }
      if (method.kind() == MethodKind.CLIENT_STREAMING) {
        synchronized (this) {
          if (hasSingle) {
            throw new IllegalStateException(method.fullName() + " is client-streaming and answers once "
                + "(expected: one onNext, then onCompleted)");
          }
          single = value;
          hasSingle = true;
        }
        return;
      }
      beforeFirstSend.run();
      String compression = context.responseCompression();
      if (compression != null) {
        call.setCompression(compression); // per message: a service may switch it between messages
      }
      call.sendMessage(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      if (method.kind() != MethodKind.CLIENT_STREAMING) {
        done.complete(null);
        return;
      }
      synchronized (this) {
        if (!hasSingle) {
          done.completeExceptionally(Status.INTERNAL.withDescription(method.fullName()
              + " completed without a response (expected: one onNext before onCompleted)").asException());
        } else {
          done.complete(single);
        }
      }
    }

    @Override
    public boolean isReady() {
      return !done.isDone() && call.isReady();
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
      onReady = handler;
    }

    @Override
    public boolean isCancelled() {
      return context.isCancelled();
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {
      onCancel = handler;
      if (context.isCancelled()) {
        callbacks.execute(() -> runInContext(handler));
      }
    }

    @Override
    public void cancel(String reason) {
      Status cancelled = Status.CANCELLED.withDescription(reason);
      done.completeExceptionally(cancelled.asException());
      context.cancel(cancelled);
    }
  }
}
