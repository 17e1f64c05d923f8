package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.ClientInterceptor;
import io.courier.client.RpcClient;
import io.courier.common.CallOptions;
import io.courier.common.CallStreamObserver;
import io.courier.common.ClientResponseObserver;
import io.courier.common.Metadata;
import io.courier.common.MethodKind;
import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.common.StreamObserver;
import io.courier.server.RpcServer;
import io.courier.server.ServerContext;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServerInvocation;
import io.courier.testing.Polling;
import io.courier.testing.RpcServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streaming between Courier client and server over HTTP/2: every kind, flow control end to end, cancellation,
 * deadlines, interceptors at the start and end of streams, application exceptions, and the clear failure of
 * transports that cannot stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2StreamingTest {

  private static final Metadata.Key<String> TOKEN = Metadata.Key.of("x-token");

  private final StreamService.Impl impl = new StreamService.Impl();
  private final List<String> serverSaw = new CopyOnWriteArrayList<>();
  private final List<String> clientSaw = new CopyOnWriteArrayList<>();

  /** One server for the class (an instance field of a PER_CLASS test); its interceptor records each call's ends. */
  @RegisterExtension
  final RpcServerExtension server = RpcServerExtension.builder().listen("http2").service(StreamService.class, impl)
      .configure(builder -> builder.interceptor(this::recordStartAndEnd)).build();

  private RpcClient client;
  private StreamService streams;

  private CompletableFuture<Object> recordStartAndEnd(ServerInvocation invocation, ServerInterceptor.Chain next) {
    serverSaw.add("start " + invocation.method().name() + " token=" + invocation.headers().get(TOKEN));
    CompletableFuture<Object> result = next.proceed(invocation);
    result.whenComplete((v, e) -> serverSaw.add("end " + invocation.method().name()
        + (e == null ? " OK" : " " + io.courier.common.Status.fromThrowable(e).code())));
    return result;
  }

  @BeforeAll
  void connect() {
    ClientInterceptor addToken = (invocation, next) -> {
      clientSaw.add(invocation.method().kind() + " " + invocation.method().name() + " deadline="
          + (invocation.deadline() != null));
      CompletableFuture<Object> result = next.proceed(invocation.withOptions(
          invocation.options().withHeader(TOKEN, "secret")));
      result.whenComplete((v, e) -> clientSaw.add("done " + invocation.method().name()));
      return result;
    };
    client = server.clientBuilder().serializer("kryo").interceptor(addToken)
        .option(Http2Options.FLOW_CONTROL_WINDOW, 65535).build();
    streams = client.create(StreamService.class);
  }

  @AfterAll
  void disconnect() {
    client.close();
  }

  @Test
  void serverStreaming() throws Exception {
    Recorder<Integer> numbers = new Recorder<>();
    streams.count(5, numbers);
    numbers.done.get(10, TimeUnit.SECONDS);
    assertThat(numbers.values).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void clientStreaming() throws Exception {
    Recorder<String> joined = new Recorder<>();
    StreamObserver<String> words = streams.join(joined);
    words.onNext("a");
    words.onNext("b");
    words.onNext("c");
    words.onCompleted();
    joined.done.get(10, TimeUnit.SECONDS);
    assertThat(joined.values).containsExactly("a,b,c");
  }

  @Test
  void bidirectionalStreaming() throws Exception {
    Recorder<String> echoes = new Recorder<>();
    StreamObserver<String> words = streams.shout(echoes);
    words.onNext("hello");
    Polling.await("the first echo", () -> echoes.values.size() == 1);
    words.onNext("world");
    words.onCompleted();
    echoes.done.get(10, TimeUnit.SECONDS);
    assertThat(echoes.values).containsExactly("HELLO", "WORLD");
  }

  @Test
  void interceptorsSeeStreamsStartAndEndAndHeadersArrive() throws Exception {
    Recorder<Integer> numbers = new Recorder<>();
    streams.count(2, numbers);
    numbers.done.get(10, TimeUnit.SECONDS);
    Polling.await("the server interceptor to see the end", () -> serverSaw.contains("end count OK"));
    // The interceptor's completion callback runs after the observer's onCompleted: wait for it too.
    Polling.await("the client interceptor to see the end", () -> clientSaw.contains("done count"));
    assertThat(serverSaw).contains("start count token=secret");
    assertThat(clientSaw).contains("SERVER_STREAMING count deadline=true");
  }

  @Test
  void backpressureStopsTheSenderUntilTheReaderConsumes() throws Exception {
    int total = 4000; // 4 MiB: far more than the 64 KiB window and the socket buffers hold
    CountDownLatch release = new CountDownLatch(1);
    Recorder<byte[]> blocks = new Recorder<>() {
      @Override
      public void onNext(byte[] value) {
        if (values.isEmpty()) {
          try {
            release.await(30, TimeUnit.SECONDS); // a reader that stops reading
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        super.onNext(value);
      }
    };
    StreamService slowReader = client.create(StreamService.class,
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(60)));
    slowReader.blocks(total, blocks);
    Polling.await("the server to see isReady() turn false", impl.sawNotReady::get);
    int sentWhileBlocked = impl.blocksSent.get();
    assertThat(sentWhileBlocked).isLessThan(total / 2);
    release.countDown();
    blocks.done.get(30, TimeUnit.SECONDS);
    assertThat(blocks.values).hasSize(total);
  }

  @Test
  void aServiceThatStopsReadingStopsTheClientsWrites() throws Exception {
    int total = 4000; // 4 MiB of 1 KiB blocks
    Recorder<Integer> count = new Recorder<>();
    StreamService slowReader = client.create(StreamService.class,
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(60)));
    CallStreamObserver<byte[]> blocks = (CallStreamObserver<byte[]>) slowReader.slowSink(count);
    java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean sawNotReady = new java.util.concurrent.atomic.AtomicBoolean();
    byte[] block = new byte[1024];
    Runnable writeWhileReady = () -> {
      while (written.get() < total) {
        if (!blocks.isReady()) {
          sawNotReady.set(true);
          return;
        }
        blocks.onNext(block);
        written.incrementAndGet();
      }
      if (written.getAndIncrement() == total) {
        blocks.onCompleted();
      }
    };
    blocks.setOnReadyHandler(writeWhileReady);
    Polling.await("the client to see isReady() turn false", sawNotReady::get);
    assertThat(written.get()).as("the client stopped writing while the service did not read").isLessThan(total / 2);
    impl.releaseSink.countDown();
    count.done.get(30, TimeUnit.SECONDS);
    assertThat(count.values).containsExactly(total);
  }

  @Test
  void clientCancellationResetsTheStreamAndCancelsTheServer() throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    List<Integer> seen = new CopyOnWriteArrayList<>();
    int before = impl.foreverContexts.size();
    streams.forever("cancel-me", new ClientResponseObserver<String, Integer>() {
      private CallStreamObserver<String> call;

      @Override
      public void beforeStart(CallStreamObserver<String> requests) {
        call = requests;
      }

      @Override
      public void onNext(Integer value) {
        seen.add(value);
        if (seen.size() == 3) {
          call.cancel("seen enough");
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    });
    assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.CANCELLED));
    Polling.await("the server call to start", () -> impl.foreverContexts.size() > before);
    ServerContext context = impl.foreverContexts.get(impl.foreverContexts.size() - 1);
    Polling.await("the server to see the cancellation", context::isCancelled);
  }

  @Test
  void deadlineEndsAStreamOnBothSides() throws Exception {
    StreamService impatient = client.create(StreamService.class,
        CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
    Recorder<Integer> numbers = new Recorder<>() {
      @Override
      public void onNext(Integer value) {
        // never finishes: reads everything and waits for more
        super.onNext(value);
      }
    };
    int before = impl.foreverContexts.size();
    impatient.forever("deadline", numbers);
    assertThatThrownBy(() -> numbers.done.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(RpcException.class,
            e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    Polling.await("the server call to start", () -> impl.foreverContexts.size() > before);
    ServerContext context = impl.foreverContexts.get(impl.foreverContexts.size() - 1);
    assertThat(context.deadline()).isNotNull();
    Polling.await("the server to cancel the call", context::isCancelled);
  }

  @Test
  void applicationExceptionsEndTheStreamWithTheirTypeAndMessage() throws Exception {
    Recorder<String> out = new Recorder<>();
    streams.failAfterOne("broken pipe", out);
    assertThatThrownBy(() -> out.done.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(IllegalStateException.class).hasMessage("broken pipe");
    assertThat(out.values).containsExactly("first");
  }

  @Test
  void transportsThatCannotStreamFailClearly() throws Exception {
    try (RpcServer tcpServer = RpcServer.builder().host("127.0.0.1").listen("tcp", 0)
        .service(StreamService.class, impl).build().start();
        RpcClient tcpClient = RpcClient.builder().transport("tcp").address("127.0.0.1:" + tcpServer.port())
            .serializer("kryo").build()) {
      Recorder<Integer> numbers = new Recorder<>();
      tcpClient.create(StreamService.class).count(3, numbers);
      assertThatThrownBy(() -> numbers.done.get(10, TimeUnit.SECONDS)).cause()
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
            assertThat(e.getMessage()).contains("tcp transport cannot stream").contains("http2");
          });
    }
    assertThat(MethodKind.SERVER_STREAMING.clientSendsOneMessage()).isTrue();
  }

  /** Collects a stream's messages and completes {@link #done} with its end. */
  static class Recorder<T> implements StreamObserver<T> {
    final List<T> values = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
      values.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }
  }
}
