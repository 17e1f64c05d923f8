package io.courier.client;

import io.courier.common.Endpoint;
import io.courier.internal.cluster.HealthTable;

/**
 * What Courier's console reads of an {@link RpcClient} beyond its API: what the client has seen of an endpoint. Not
 * API: an accessor for {@code io.courier.internal}, in the manner of grpc-java's {@code Internal*} classes; it may
 * change at any time.
 */
public final class InternalClients {

  private InternalClients() {}

  /** {@code client}'s view of {@code endpoint}'s health, or {@code null} if the client does not list it. */
  public static HealthTable.View health(RpcClient client, Endpoint endpoint) {
    return client.health.view(endpoint);
  }
}
