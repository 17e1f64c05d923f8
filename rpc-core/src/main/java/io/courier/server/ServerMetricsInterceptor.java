package io.courier.server;

import io.courier.common.MetricsRecorder;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Reports every served call's start, end, status and latency to a {@link MetricsRecorder}. */
public final class ServerMetricsInterceptor implements ServerInterceptor {

  private final MetricsRecorder recorder;

  public ServerMetricsInterceptor(MetricsRecorder recorder) {
    this.recorder = Objects.requireNonNull(recorder, "recorder");
  }

  @Override
  public CompletableFuture<Object> intercept(ServerInvocation invocation, Chain next) {
    long start = System.nanoTime();
    recorder.callStarted(MetricsRecorder.Side.SERVER, invocation.method());
    CompletableFuture<Object> result;
    try {
      result = next.proceed(invocation);
    } catch (RuntimeException | Error e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete((value, error) -> recorder.callCompleted(MetricsRecorder.Side.SERVER,
        invocation.method(), error == null ? StatusCode.OK : Status.fromThrowable(error).code(),
        System.nanoTime() - start));
    return result;
  }
}
