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
 * {@value LoadBalancers#RANDOM}: each provider is chosen with probability weight / total weight, where a provider in
 * slow start weighs its weight times {@link Provider#slowStartFactor()}. Stateless.
 */
public final class WeightedRandomLoadBalancer implements LoadBalancer {

  private final Supplier<? extends RandomGenerator> random;

  /** @param random the source of randomness for the calling thread (tests pass a seeded one) */
  public WeightedRandomLoadBalancer(Supplier<? extends RandomGenerator> random) {
    this.random = random;
  }

  @Override
  public Provider pick(List<Provider> providers, Invocation invocation) {
    return pick(providers, random.get());
  }

  static Provider pick(List<Provider> providers, RandomGenerator r) {
    int n = providers.size();
    if (n == 1) {
      return providers.get(0);
    }
    double total = 0;
    boolean sameWeight = true;
    double first = effectiveWeight(providers.get(0));
    for (int i = 0; i < n; i++) {
      double w = effectiveWeight(providers.get(i));
      total += w;
      sameWeight &= w == first;
    }
    if (sameWeight || !(total > 0)) {
      return providers.get(r.nextInt(n));
    }
    double x = r.nextDouble(total);
    for (int i = 0; i < n; i++) {
      x -= effectiveWeight(providers.get(i));
      if (x < 0) {
        return providers.get(i);
      }
    }
    return providers.get(n - 1);
  }

  /** The provider's weight scaled by where it is in its slow start. */
  static double effectiveWeight(Provider p) {
    double factor = p.slowStartFactor();
    return factor >= 1 ? p.weight() : p.weight() * factor;
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory implements LoadBalancerFactory {
    @Override
    public String name() {
      return LoadBalancers.RANDOM;
    }

    @Override
    public LoadBalancer newLoadBalancer() {
      return new WeightedRandomLoadBalancer(ThreadLocalRandom::current);
    }
  }
}
