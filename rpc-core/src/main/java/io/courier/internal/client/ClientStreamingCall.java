package io.courier.internal.client;

import io.courier.client.Invocation;
import io.courier.common.CallStreamObserver;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.common.StreamObserver;
import io.courier.internal.common.ApplicationExceptions;
import io.courier.internal.common.SerialExecutor;
import io.courier.transport.OutboundStream;
import io.courier.transport.StreamListener;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * The caller's side of one streaming call: the {@link StreamListener} the transport feeds, and the request
 * observer the stub hands the caller. Every callback of the caller's observers runs on the client's callback
 * executor, one at a time, in order; the end of the call (from the call's future, so interceptors and the
 * deadline have their say) is delivered after the last message.
 *
 * <p>Inbound flow control: one message is requested when the stream opens and one more after each
 * {@code onNext} returns, so the transport never reads faster than the caller consumes. Invariant: requests
 * written before the transport opened the stream are kept in {@link #buffered}, in order, and go out first.
 */
final class ClientStreamingCall implements StreamListener {

  private final MethodDescriptor method;
  private final StreamObserver<Object> responses;
  private final SerialExecutor callbacks;
  private final RequestObserver requests = new RequestObserver();
  private Invocation invocation; // set by bind, before the call starts
  private volatile OutboundStream outbound;
  private volatile Runnable onReady;
  private boolean finished; // only touched by callbacks
  private volatile boolean ended; // the call's future completed: requests are dropped

  ClientStreamingCall(MethodDescriptor method, StreamObserver<Object> responses, Executor callbackExecutor) {
    this.method = method;
    this.responses = responses;
    this.callbacks = new SerialExecutor(callbackExecutor);
  }

  void bind(Invocation boundInvocation) {
    this.invocation = boundInvocation;
  }

  CallStreamObserver<Object> requests() {
    return requests;
  }

  @Override
  public void onStart(OutboundStream stream) {
    requests.attach(stream);
    stream.request(1);
    onReady();
  }

  @Override
  public void onMessage(Object message) {
    callbacks.execute(() -> {
      if (finished) {
        return;
      }
      try {
        responses.onNext(message);
      } catch (RuntimeException | Error e) {
        invocation.cancel(Status.CANCELLED.withDescription("the response observer of " + method.fullName()
            + " threw " + e).withCause(e));
        return;
      }
      OutboundStream s = outbound;
      if (s != null) {
        s.request(1);
      }
    });
  }

  @Override
  public void onReady() {
    callbacks.execute(() -> {
      Runnable handler = onReady;
      if (!finished && handler != null) {
        handler.run();
      }
    });
  }

  /** The call's future completed: deliver the end after every message already queued. */
  void finish(Object ignored, Throwable error) {
    ended = true;
    requests.dropBuffered();
    callbacks.execute(() -> {
      if (finished) {
        return;
      }
      finished = true;
      if (error == null) {
        responses.onCompleted();
      } else {
        responses.onError(ApplicationExceptions.toCallerException(error, method));
      }
    });
  }

  /** What a client- or bidirectional-streaming stub method returns. */
  private final class RequestObserver implements CallStreamObserver<Object> {
    private final Queue<Object> buffered = new ArrayDeque<>(); // guarded by this
    private boolean halfClosed; // guarded by this

    synchronized void attach(OutboundStream stream) {
      Object message;
      while ((message = buffered.poll()) != null) {
        stream.sendMessage(message);
      }
      if (halfClosed) {
        stream.halfClose();
      }
      outbound = stream;
    }

    synchronized void dropBuffered() {
      buffered.clear();
    }

    @Override
    public synchronized void onNext(Object value) {
      if (halfClosed) {
        throw new IllegalStateException("onNext after onCompleted on the request stream of " + method.fullName());
      }
      if (invocation.isCancelled() || ended) {
        return; // like gRPC: messages to a cancelled or finished call are dropped
      }
      OutboundStream s = outbound;
      if (s == null) {
        buffered.add(value);
      } else {
        s.sendMessage(value);
      }
    }

    @Override
    public void onError(Throwable t) {
      invocation.cancel(Status.CANCELLED.withDescription("the caller cancelled " + method.fullName() + ": " + t)
          .withCause(t));
    }

    @Override
    public synchronized void onCompleted() {
      if (halfClosed) {
        return;
      }
      halfClosed = true;
      OutboundStream s = outbound;
      if (s != null) {
        s.halfClose();
      }
    }

    @Override
    public boolean isReady() {
      OutboundStream s = outbound;
      return s != null && !invocation.isCancelled() && s.isReady();
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
      onReady = handler;
      if (isReady()) {
        // The stream may have opened (and signalled ready) before the handler was set: run it once now, or a
        // writer that only writes from the handler would never start.
        onReady();
      }
    }

    @Override
    public boolean isCancelled() {
      return invocation.isCancelled();
    }

    @Override
    public void setOnCancelHandler(Runnable onCancel) {
      invocation.onCancel(status -> callbacks.execute(onCancel));
    }

    @Override
    public void cancel(String reason) {
      invocation.cancel(Status.CANCELLED.withDescription(reason));
    }
  }
}
