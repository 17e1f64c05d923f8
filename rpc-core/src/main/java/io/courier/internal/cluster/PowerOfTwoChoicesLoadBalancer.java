package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.cluster.LoadBalancer;
import io.courier.cluster.LoadBalancerFactory;
import io.courier.cluster.LoadBalancers;
import io.courier.cluster.Provider;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@value LoadBalancers#P2C}: two distinct providers at random; the one with the lower cost wins, where cost is the
 * latency average times (calls in flight + 1), as in Finagle's peak-EWMA balancer. A provider with calls in flight
 * but no latency sample yet costs a large penalty, so a hung new provider is not flooded. Weights are not used.
 * Stateless.
 */
public final class PowerOfTwoChoicesLoadBalancer implements LoadBalancer {

  /** The cost of a provider that has calls in flight and has never answered. */
  static final double PENALTY = (double) (Long.MAX_VALUE >> 16);

  private final Supplier<? extends RandomGenerator> random;

  public PowerOfTwoChoicesLoadBalancer(Supplier<? extends RandomGenerator> random) {
    this.random = random;
  }

  @Override
  public Provider pick(List<Provider> providers, Invocation invocation) {
    int n = providers.size();
    if (n == 1) {
      return providers.get(0);
    }
    RandomGenerator r = random.get();
    int i = r.nextInt(n);
    int j = r.nextInt(n - 1);
    if (j >= i) {
      j++;
    }
    Provider a = providers.get(i);
    Provider b = providers.get(j);
    return cost(b) < cost(a) ? b : a;
  }

  static double cost(Provider p) {
    long latency = p.latencyNanos();
    int inFlight = p.inFlight();
    if (latency == 0) {
      return inFlight == 0 ? 0 : PENALTY + inFlight;
    }
    return (double) latency * (inFlight + 1);
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory implements LoadBalancerFactory {
    @Override
    public String name() {
      return LoadBalancers.P2C;
    }

    @Override
    public LoadBalancer newLoadBalancer() {
      return new PowerOfTwoChoicesLoadBalancer(ThreadLocalRandom::current);
    }
  }
}
