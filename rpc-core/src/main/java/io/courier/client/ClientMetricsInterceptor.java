package io.courier.client;

import io.courier.common.MetricsRecorder;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Reports every call's start, end, status and latency to a {@link MetricsRecorder}. Add it first so it
 * times the whole call, retries included. A call is recorded before its caller sees the result, so a caller
 * that reads the meters right after a call returns finds that call counted.
 */
public final class ClientMetricsInterceptor implements ClientInterceptor {

  private final MetricsRecorder recorder;

  public ClientMetricsInterceptor(MetricsRecorder recorder) {
    this.recorder = Objects.requireNonNull(recorder, "recorder");
  }

  @Override
  public CompletableFuture<Object> intercept(Invocation invocation, Chain next) {
    long start = System.nanoTime();
    recorder.callStarted(MetricsRecorder.Side.CLIENT, invocation.method());
    CompletableFuture<Object> result = next.proceed(invocation);
    return ClientInterceptor.whenComplete(result, (value, error) -> recorder.callCompleted(
        MetricsRecorder.Side.CLIENT, invocation.method(),
        error == null ? StatusCode.OK : Status.fromThrowable(error).code(), System.nanoTime() - start));
  }
}
