package io.courier.common;

/**
 * Receives one event when a call starts and one when it ends, from {@code ClientMetricsInterceptor} and
 * {@code ServerMetricsInterceptor}. Implementations must be thread-safe and fast; the Spring Boot starter
 * provides one backed by Micrometer.
 */
public interface MetricsRecorder {

  /** Which end of a call is recording. */
  enum Side { CLIENT, SERVER }

  void callStarted(Side side, MethodDescriptor method);

  /** {@code code} is {@code UNKNOWN} for application exceptions. */
  void callCompleted(Side side, MethodDescriptor method, StatusCode code, long durationNanos);
}
