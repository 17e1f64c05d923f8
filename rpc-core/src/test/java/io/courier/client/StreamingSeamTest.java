package io.courier.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.NoOpSerializerProvider;
import io.courier.common.RpcException;
import io.courier.common.RpcService;
import io.courier.common.StatusCode;
import io.courier.common.StreamObserver;
import io.courier.server.RpcServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The streaming seam on a transport that cannot stream: a streaming stub method returns at once and its
 * observer gets {@code UNIMPLEMENTED} naming the transport that can, after the call went through the client
 * interceptors like any other.
 */
class StreamingSeamTest {

  @RpcService(name = "test.Ticker")
  public interface Ticker {
    void ticks(String symbol, StreamObserver<Long> prices);

    StreamObserver<String> chat(StreamObserver<String> replies);
  }

  static final class TickerImpl implements Ticker {
    @Override
    public void ticks(String symbol, StreamObserver<Long> prices) {
      prices.onNext(1L);
      prices.onCompleted();
    }

    @Override
    public StreamObserver<String> chat(StreamObserver<String> replies) {
      return replies;
    }
  }

  static final class Outcome<T> implements StreamObserver<T> {
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }
  }

  @Test
  void inProcessRefusesStreamsClearlyAfterTheInterceptors() throws Exception {
    CompletableFuture<String> intercepted = new CompletableFuture<>();
    try (RpcServer server = RpcServer.builder().listen("inprocess", 0).serializerProvider(new NoOpSerializerProvider())
        .service(Ticker.class, new TickerImpl()).build().start();
        RpcClient client = RpcClient.builder().transport("inprocess")
            .address(server.addresses().get(0).getHostString() + ":0")
            .serializerProvider(new NoOpSerializerProvider()).serializer("noop")
            .interceptor((invocation, next) -> {
              intercepted.complete(invocation.method().kind() + " deadline=" + (invocation.deadline() != null));
              return next.proceed(invocation);
            }).build()) {
      Ticker ticker = client.create(Ticker.class);
      Outcome<Long> prices = new Outcome<>();
      ticker.ticks("ACME", prices);
      assertUnimplemented(prices);
      assertThat(intercepted.get(5, TimeUnit.SECONDS)).isEqualTo("SERVER_STREAMING deadline=true");

      Outcome<String> replies = new Outcome<>();
      StreamObserver<String> messages = ticker.chat(replies);
      messages.onNext("buffered until the stream opens, then dropped with it");
      assertUnimplemented(replies);
    }
  }

  private static void assertUnimplemented(Outcome<?> outcome) {
    try {
      outcome.done.get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected the stream to fail");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOfSatisfying(RpcException.class, rpc -> {
        assertThat(rpc.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
        assertThat(rpc.getMessage()).contains("inprocess transport cannot stream").contains("http2");
      });
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
