package io.courier.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.Deadline;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StreamObserver;
import io.courier.server.ServerContext;
import io.courier.server.ServerInvocation;
import io.courier.transport.ServerStreamCall;
import io.courier.transport.StreamListener;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The server side of a streaming call, against a transport whose events may come before the implementation is ready.
 */
class ServerStreamsTest {

  @RpcService(name = "test.Chat")
  public interface Chat {
    StreamObserver<String> chat(StreamObserver<String> replies);
  }

  @Test
  void aHalfCloseBeforeTheImplementationReturnedItsObserverReachesIt() throws Throwable {
    MethodDescriptor method = ServiceDescriptor.of(Chat.class).method("chat");
    FakeCall call = new FakeCall(method);
    ServerContext context = new ServerContext(method, Metadata.EMPTY, null, null);
    ServerStreams streams = new ServerStreams(method, call, context, Runnable::run, () -> { });
    AtomicBoolean completed = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Chat impl = replies -> {
      // the client sent nothing and half-closed at once: the transport says so while this method still runs
      call.listener.get().onHalfClose();
      return new StreamObserver<>() {
        @Override
        public void onNext(String value) {}

        @Override
        public void onError(Throwable t) {
          failed.set(t);
        }

        @Override
        public void onCompleted() {
          completed.set(true);
          replies.onCompleted();
        }
      };
    };
    MethodHandle invoker = MethodHandles.lookup().unreflect(Chat.class.getMethod("chat", StreamObserver.class))
        .bindTo(impl).asSpreader(Object[].class, 1).asType(MethodType.methodType(Object.class, Object[].class));
    CompletableFuture<Object> done = streams.invoke(invoker, new ServerInvocation(method, new Object[0],
        Metadata.EMPTY, null, null));
    assertThat(completed).as("the request observer heard the half-close").isTrue();
    assertThat(failed).hasValue(null);
    assertThat(done).isCompleted().isNotCompletedExceptionally();
  }

  /** A transport's streaming call that records the listener and does nothing else. */
  private static final class FakeCall implements ServerStreamCall {
    final AtomicReference<StreamListener> listener = new AtomicReference<>();
    private final MethodDescriptor method;

    FakeCall(MethodDescriptor method) {
      this.method = method;
    }

    @Override
    public void start(StreamListener streamListener) {
      listener.set(streamListener);
    }

    @Override
    public MethodDescriptor method() {
      return method;
    }

    @Override
    public Metadata headers() {
      return Metadata.EMPTY;
    }

    @Override
    public Deadline deadline() {
      return null;
    }

    @Override
    public SocketAddress remoteAddress() {
      return null;
    }

    @Override
    public Object[] readArguments() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void sendResponse(Object value, Metadata trailers) {}

    @Override
    public void sendError(Status status, Metadata trailers) {}

    @Override
    public void onCancel(Runnable cancelListener) {}

    @Override
    public void sendMessage(Object message) {}

    @Override
    public void halfClose() {}

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void request(int count) {}
  }
}
