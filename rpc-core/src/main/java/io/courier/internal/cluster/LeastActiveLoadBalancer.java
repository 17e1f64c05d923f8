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
 * weighted random. A slow provider accumulates calls in flight and so receives fewer. A provider in slow start
 * takes part in a pick only with the probability {@link Provider#slowStartFactor()}, which scales its share by that
 * factor, so that a new provider, with no calls in flight, is not handed every call until it has as many as the
 * others. Stateless.
 */
public final class LeastActiveLoadBalancer implements LoadBalancer {

  /** In {@code inFlight}: the provider sits this pick out (slow start). */
  private static final int SITS_OUT = -1;

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
    RandomGenerator r = random.get();
    int[] inFlight = new int[n]; // read once: the counts move while we look
    boolean anyTakesPart = false;
    for (int i = 0; i < n; i++) {
      Provider p = providers.get(i);
      double factor = p.slowStartFactor();
      inFlight[i] = factor >= 1 || r.nextDouble() < factor ? p.inFlight() : SITS_OUT;
      anyTakesPart |= inFlight[i] != SITS_OUT;
    }
    if (!anyTakesPart) {
      for (int i = 0; i < n; i++) {
        inFlight[i] = providers.get(i).inFlight();
      }
    }
    int least = Integer.MAX_VALUE;
    int ties = 0;
    long tiedWeight = 0;
    boolean sameWeight = true;
    int firstWeight = 0;
    for (int i = 0; i < n; i++) {
      int active = inFlight[i];
      if (active == SITS_OUT) {
        continue;
      }
      int weight = providers.get(i).weight();
      if (active < least) {
        least = active;
        ties = 1;
        tiedWeight = weight;
        firstWeight = weight;
        sameWeight = true;
      } else if (active == least) {
        ties++;
        tiedWeight += weight;
        sameWeight &= weight == firstWeight;
      }
    }
    if (ties == 1 || sameWeight || tiedWeight <= 0) {
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
