package io.courier.internal.client;

import io.courier.client.EndpointSource;
import io.courier.client.Invocation;
import io.courier.common.Endpoint;
import io.courier.common.Status;
import io.courier.transport.ClientTransport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end of the client chain: picks a provider of the invoked service and hands the call to the transport.
 * Round-robin over the providers the {@link EndpointSource} reports; no retries.
 */
public final class EndpointRouter {

  private final EndpointSource endpoints;
  private final ClientTransport transport;
  private final AtomicInteger next = new AtomicInteger();

  public EndpointRouter(EndpointSource endpoints, ClientTransport transport) {
    this.endpoints = endpoints;
    this.transport = transport;
  }

  public CompletableFuture<Object> route(Invocation invocation) {
    List<Endpoint> candidates = endpoints.endpoints(invocation.method().service());
    if (candidates.isEmpty()) {
      return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("no provider of "
          + invocation.method().service().name() + " is known (" + endpoints.describe() + ")").asException());
    }
    Endpoint endpoint = candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
    return transport.call(endpoint, invocation);
  }
}
