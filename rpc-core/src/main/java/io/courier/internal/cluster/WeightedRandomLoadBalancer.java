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

/** {@value LoadBalancers#RANDOM}: each provider is chosen with probability weight / total weight. Stateless. */
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
    long total = 0;
    boolean sameWeight = true;
    int first = providers.get(0).weight();
    for (int i = 0; i < n; i++) {
      int w = providers.get(i).weight();
      total += w;
      sameWeight &= w == first;
    }
    if (sameWeight || total <= 0) {
      return providers.get(r.nextInt(n));
    }
    long x = r.nextLong(total);
    for (int i = 0; i < n; i++) {
      x -= providers.get(i).weight();
      if (x < 0) {
        return providers.get(i);
      }
    }
    return providers.get(n - 1);
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
