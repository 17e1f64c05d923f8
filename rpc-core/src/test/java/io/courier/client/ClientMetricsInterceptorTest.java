package io.courier.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.NoOpSerializerProvider;
import io.courier.common.CallOptions;
import io.courier.common.MethodDescriptor;
import io.courier.common.MetricsRecorder;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.serialization.TypeAllowlist;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ClientMetricsInterceptorTest {

  @RpcService(name = "test.Ping")
  interface Ping {
    String ping();
  }

  private final List<String> recorded = new CopyOnWriteArrayList<>();
  private final ClientMetricsInterceptor interceptor = new ClientMetricsInterceptor(new MetricsRecorder() {
    @Override
    public void callStarted(Side side, MethodDescriptor method) {
      recorded.add("start " + method.name());
    }

    @Override
    public void callCompleted(Side side, MethodDescriptor method, StatusCode code, long nanos) {
      recorded.add(code + " " + method.name());
    }
  });
  private final Invocation call = new Invocation(ServiceDescriptor.of(Ping.class).method("ping"), new Object[0],
      CallOptions.DEFAULT, new NoOpSerializerProvider().create(TypeAllowlist.withDefaults()), null);

  @Test
  void theCallIsRecordedBeforeTheCallerSeesItsResult() {
    CompletableFuture<Object> transport = new CompletableFuture<>();
    CompletableFuture<Object> seen = interceptor.intercept(call, invocation -> transport);
    // a dependent added by the caller after the interceptor's own runs first when both hang off one future
    List<String> whenTheCallerWoke = new CopyOnWriteArrayList<>();
    seen.whenComplete((value, error) -> whenTheCallerWoke.addAll(recorded));

    transport.complete("pong");

    assertThat(seen).isCompletedWithValue("pong");
    assertThat(whenTheCallerWoke).containsExactly("start ping", "OK ping");
  }

  @Test
  void aFailureIsRecordedWithItsStatusBeforeTheCallerSeesIt() {
    CompletableFuture<Object> transport = new CompletableFuture<>();
    CompletableFuture<Object> seen = interceptor.intercept(call, invocation -> transport);
    List<String> whenTheCallerWoke = new CopyOnWriteArrayList<>();
    seen.whenComplete((value, error) -> whenTheCallerWoke.addAll(recorded));

    transport.completeExceptionally(Status.UNAVAILABLE.withDescription("gone").asException());

    assertThat(seen).isCompletedExceptionally();
    assertThat(whenTheCallerWoke).containsExactly("start ping", "UNAVAILABLE ping");
  }

  @Test
  void aRecorderThatThrowsLeavesTheOutcomeAlone() {
    ClientMetricsInterceptor broken = new ClientMetricsInterceptor(new MetricsRecorder() {
      @Override
      public void callStarted(Side side, MethodDescriptor method) {}

      @Override
      public void callCompleted(Side side, MethodDescriptor method, StatusCode code, long nanos) {
        throw new IllegalStateException("the meter registry is broken");
      }
    });
    CompletableFuture<Object> transport = new CompletableFuture<>();
    CompletableFuture<Object> seen = broken.intercept(call, invocation -> transport);
    transport.complete("pong");
    assertThat(seen).isCompletedWithValue("pong");

    CompletableFuture<Object> failing = new CompletableFuture<>();
    CompletableFuture<Object> seenFailure = broken.intercept(call, invocation -> failing);
    RuntimeException unavailable = Status.UNAVAILABLE.withDescription("gone").asException();
    failing.completeExceptionally(unavailable);
    assertThat(seenFailure).failsWithin(java.time.Duration.ZERO).withThrowableOfType(
        java.util.concurrent.ExecutionException.class).havingCause().isSameAs(unavailable);
  }

  @Test
  void aResultCompletedByTheCallerIsRecordedAndPassedInwards() {
    CompletableFuture<Object> transport = new CompletableFuture<>();
    CompletableFuture<Object> seen = interceptor.intercept(call, invocation -> transport);

    seen.completeExceptionally(Status.DEADLINE_EXCEEDED.withDescription("the caller's own deadline").asException());

    assertThat(transport).as("the inner chain learns of it").isCompletedExceptionally();
    assertThat(recorded).containsExactly("start ping", "DEADLINE_EXCEEDED ping");
  }
}
