package io.courier.spring.internal.observation;

import io.courier.client.ClientInterceptor;
import io.courier.client.Invocation;
import io.courier.common.CallOptions;
import io.courier.common.Metadata;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Observes every stub call as {@code courier.rpc.client} (a child of the caller's current observation, for example
 * an HTTP request's) and sends the trace context the tracer injects as call metadata. Added first, so the span covers
 * retries and the headers reach every attempt.
 */
public final class ObservationClientInterceptor implements ClientInterceptor {

  private final ObservationRegistry registry;

  public ObservationClientInterceptor(ObservationRegistry registry) {
    this.registry = registry;
  }

  @Override
  @SuppressWarnings("try") // the scope makes the observation current while the call starts
  public CompletableFuture<Object> intercept(Invocation invocation, Chain next) {
    if (registry.isNoop()) {
      return next.proceed(invocation);
    }
    CourierObservations.ClientContext context = new CourierObservations.ClientContext(invocation.method());
    Observation observation = Observation.createNotStarted(null, CourierObservations.ClientConvention.INSTANCE,
        () -> context, registry).start();
    CompletableFuture<Object> result;
    try (Observation.Scope scope = observation.openScope()) {
      result = next.proceed(withHeaders(invocation, context.getCarrier()));
    } catch (RuntimeException | Error e) {
      context.status = CourierObservations.statusOf(e);
      observation.error(e);
      observation.stop();
      throw e;
    }
    return ClientInterceptor.whenComplete(result, (value, error) -> { // the span ends before the caller goes on
      context.status = CourierObservations.statusOf(error);
      if (error != null) {
        observation.error(error);
      }
      observation.stop();
    });
  }

  private static Invocation withHeaders(Invocation invocation, Map<String, String> injected) {
    if (injected == null || injected.isEmpty()) {
      return invocation;
    }
    CallOptions options = invocation.options();
    Metadata headers = options.headers();
    for (Map.Entry<String, String> e : injected.entrySet()) {
      if (Metadata.isValidKey(e.getKey()) && !e.getKey().endsWith("-bin") && Metadata.isValidTextValue(e.getValue())) {
        headers = headers.withOnly(Metadata.Key.of(e.getKey()), e.getValue());
      }
    }
    return invocation.withOptions(options.withHeaders(headers));
  }
}
