package io.courier.spring.internal.observation;

import io.courier.server.ServerInterceptor;
import io.courier.server.ServerInvocation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.CompletableFuture;

/**
 * Observes every served call as {@code courier.rpc.server}, continuing the trace whose context the caller sent in
 * the call's metadata, and keeps that observation current while the service method runs — so its logs carry the trace
 * id and the Courier calls it makes continue the same trace.
 */
public final class ObservationServerInterceptor implements ServerInterceptor {

  private final ObservationRegistry registry;

  public ObservationServerInterceptor(ObservationRegistry registry) {
    this.registry = registry;
  }

  @Override
  @SuppressWarnings("try") // the scope makes the observation current while the service method runs
  public CompletableFuture<Object> intercept(ServerInvocation invocation, Chain next) {
    if (registry.isNoop()) {
      return next.proceed(invocation);
    }
    CourierObservations.ServerContext context = new CourierObservations.ServerContext(invocation.method(),
        invocation.headers(), invocation.remoteAddress());
    Observation observation = Observation.createNotStarted(null, CourierObservations.ServerConvention.INSTANCE,
        () -> context, registry).start();
    CompletableFuture<Object> result;
    try (Observation.Scope scope = observation.openScope()) {
      result = next.proceed(invocation);
    } catch (RuntimeException | Error e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete((value, error) -> {
      context.status = CourierObservations.statusOf(error);
      if (error != null) {
        observation.error(error);
      }
      observation.stop();
    });
    return result;
  }
}
