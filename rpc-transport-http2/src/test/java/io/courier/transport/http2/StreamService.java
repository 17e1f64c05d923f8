package io.courier.transport.http2;

import io.courier.common.CallStreamObserver;
import io.courier.common.RpcMethod;
import io.courier.common.RpcService;
import io.courier.common.StreamObserver;
import io.courier.server.ServerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A plain-Java streaming service (carried by kryo as application/grpc+kryo) for the streaming tests. */
@RpcService(name = "courier.test.Streams")
public interface StreamService {

  /** Server streaming: 1..upTo, then completes. */
  void count(int upTo, StreamObserver<Integer> numbers);

  /** Client streaming: the words joined with commas. */
  @RpcMethod(clientStreaming = true)
  StreamObserver<String> join(StreamObserver<String> joined);

  /** Bidirectional: each word upper-cased as it arrives. */
  StreamObserver<String> shout(StreamObserver<String> echoes);

  /** Server streaming until cancelled, one number whenever the stream is ready. */
  void forever(String label, StreamObserver<Integer> numbers);

  /** Server streaming of {@code count} blocks of 1 KiB, respecting isReady/onReady. */
  void blocks(int count, StreamObserver<byte[]> blocks);

  /** Fails the stream with an IllegalStateException carrying {@code message} after one message. */
  void failAfterOne(String message, StreamObserver<String> out);

  /**
   * Client streaming into a reader that stops at the first block until {@link Impl#releaseSink} opens; answers the
   * count.
   */
  @RpcMethod(clientStreaming = true)
  StreamObserver<byte[]> slowSink(StreamObserver<Integer> count);

  /** Implementation with hooks the tests observe. */
  final class Impl implements StreamService {
    final List<ServerContext> foreverContexts = new CopyOnWriteArrayList<>();
    final AtomicBoolean sawNotReady = new AtomicBoolean();
    final AtomicInteger blocksSent = new AtomicInteger();
    final java.util.concurrent.CountDownLatch releaseSink = new java.util.concurrent.CountDownLatch(1);

    @Override
    public void count(int upTo, StreamObserver<Integer> numbers) {
      for (int i = 1; i <= upTo; i++) {
        numbers.onNext(i);
      }
      numbers.onCompleted();
    }

    @Override
    public StreamObserver<String> join(StreamObserver<String> joined) {
      List<String> words = new ArrayList<>();
      return new StreamObserver<>() {
        @Override
        public void onNext(String word) {
          words.add(word);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          joined.onNext(String.join(",", words));
          joined.onCompleted();
        }
      };
    }

    @Override
    public StreamObserver<String> shout(StreamObserver<String> echoes) {
      return new StreamObserver<>() {
        @Override
        public void onNext(String word) {
          echoes.onNext(word.toUpperCase(Locale.ROOT));
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          echoes.onCompleted();
        }
      };
    }

    @Override
    public void forever(String label, StreamObserver<Integer> numbers) {
      ServerContext context = ServerContext.current();
      foreverContexts.add(context);
      CallStreamObserver<Integer> out = (CallStreamObserver<Integer>) numbers;
      AtomicInteger next = new AtomicInteger();
      out.setOnReadyHandler(() -> {
        while (out.isReady() && !out.isCancelled() && next.get() < 100) {
          out.onNext(next.incrementAndGet());
        }
      });
    }

    @Override
    public void blocks(int count, StreamObserver<byte[]> blocks) {
      CallStreamObserver<byte[]> out = (CallStreamObserver<byte[]>) blocks;
      byte[] block = new byte[1024];
      out.setOnReadyHandler(() -> {
        while (blocksSent.get() < count) {
          if (!out.isReady()) {
            sawNotReady.set(true);
            return; // onReady runs again when the client has read more
          }
          out.onNext(block);
          blocksSent.incrementAndGet();
        }
        if (blocksSent.get() == count) {
          blocksSent.incrementAndGet(); // complete once
          out.onCompleted();
        }
      });
    }

    @Override
    public StreamObserver<byte[]> slowSink(StreamObserver<Integer> count) {
      AtomicInteger received = new AtomicInteger();
      return new StreamObserver<>() {
        @Override
        public void onNext(byte[] block) {
          if (received.getAndIncrement() == 0) {
            try {
              releaseSink.await(30, java.util.concurrent.TimeUnit.SECONDS); // a service that stops reading
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          count.onNext(received.get());
          count.onCompleted();
        }
      };
    }

    @Override
    public void failAfterOne(String message, StreamObserver<String> out) {
      out.onNext("first");
      out.onError(new IllegalStateException(message));
    }
  }
}
