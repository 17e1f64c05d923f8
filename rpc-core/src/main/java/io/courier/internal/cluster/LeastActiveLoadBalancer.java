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
 * {@value LoadBalancers#LEAST_ACTIVE}: the provider with the fewest calls in flight from this client; among equals,
 * weighted random. A slow provider accumulates calls in flight and so receives fewer. Stateless.
 */
public final class LeastActiveLoadBalancer implements LoadBalancer {

  private final Supplier<? extends RandomGenerator> random;

  public LeastActiveLoadBalancer(Supplier<? extends RandomGenerator> random) {
    this.random = random;
  }

  @Override
  public Provider pick(List<Provider> providers, Invocation invocation) {
    int n = providers.size();
    if (n == 1) {
      return providers.get(0);
    }
    int least = Integer.MAX_VALUE;
    int ties = 0;
    long tiedWeight = 0;
    boolean sameWeight = true;
    int firstWeight = 0;
    int[] inFlight = new int[n]; // read once: the counts move while we look
    for (int i = 0; i < n; i++) {
      Provider p = providers.get(i);
      int active = p.inFlight();
      inFlight[i] = active;
      if (active < least) {
        least = active;
        ties = 1;
        tiedWeight = p.weight();
        firstWeight = p.weight();
        sameWeight = true;
      } else if (active == least) {
        ties++;
        tiedWeight += p.weight();
        sameWeight &= p.weight() == firstWeight;
      }
    }
    RandomGenerator r = random.get();
    if (ties == 1 || sameWeight) {
      int skip = ties == 1 ? 0 : r.nextInt(ties);
      for (int i = 0; i < n; i++) {
        if (inFlight[i] == least && skip-- == 0) {
          return providers.get(i);
        }
      }
    }
    long x = r.nextLong(tiedWeight);
    for (int i = 0; i < n; i++) {
      if (inFlight[i] == least) {
        x -= providers.get(i).weight();
        if (x < 0) {
          return providers.get(i);
        }
      }
    }
    return providers.get(n - 1); // unreachable unless weights changed under us
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory implements LoadBalancerFactory {
    @Override
    public String name() {
      return LoadBalancers.LEAST_ACTIVE;
    }

    @Override
    public LoadBalancer newLoadBalancer() {
      return new LeastActiveLoadBalancer(ThreadLocalRandom::current);
    }
  }
}
