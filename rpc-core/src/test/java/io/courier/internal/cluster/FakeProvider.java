package io.courier.internal.cluster;

import io.courier.NoOpSerializerProvider;
import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.cluster.Provider;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.MethodDescriptor;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.serialization.TypeAllowlist;
import java.util.Map;

/** A provider whose numbers a test sets directly: balancer tests use these instead of timing. */
final class FakeProvider implements Provider {

  @RpcService(name = "test.Carts")
  interface Carts {
    String cart(String userId, int page);
  }

  static final MethodDescriptor CART = ServiceDescriptor.of(Carts.class).method("cart");
  private static final io.courier.serialization.Serializer NO_OP =
      new NoOpSerializerProvider().create(TypeAllowlist.withDefaults());

  final Endpoint endpoint;
  int weight;
  int inFlight;
  long latencyNanos;
  double slowStart = 1;

  FakeProvider(String host, int weight) {
    this.endpoint = new Endpoint(host, 7070);
    this.weight = weight;
  }

  /** A call of {@code Carts.cart(userId, 0)} with {@code options}. */
  static Invocation call(String userId, CallOptions options) {
    return InternalInvocation.unplanned(CART, new Object[] {userId, 0}, options, NO_OP, null);
  }

  static Invocation call(String userId) {
    return call(userId, CallOptions.DEFAULT);
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public int weight() {
    return weight;
  }

  @Override
  public Map<String, String> metadata() {
    return Map.of();
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public long latencyNanos() {
    return latencyNanos;
  }

  @Override
  public double slowStartFactor() {
    return slowStart;
  }

  @Override
  public int consecutiveFailures() {
    return 0;
  }

  @Override
  public String toString() {
    return endpoint.host();
  }
}
