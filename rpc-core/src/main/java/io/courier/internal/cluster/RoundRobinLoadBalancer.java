package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.cluster.LoadBalancer;
import io.courier.cluster.LoadBalancerFactory;
import io.courier.cluster.LoadBalancers;
import io.courier.cluster.Provider;
import io.courier.common.Endpoint;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@value LoadBalancers#ROUND_ROBIN}: nginx's smooth weighted round-robin. Every pick adds each provider's weight
 * to its current value, chooses the largest and subtracts the total from it; weights 5, 1, 1 give a, a, b, a, c, a,
 * a — exact shares in every window of total-weight picks, without bursts. A provider in slow start weighs its
 * weight times {@link Provider#slowStartFactor()}. Invariant: {@code current} is guarded by {@code this} and holds an
 * entry only for providers of the last list seen.
 */
public final class RoundRobinLoadBalancer implements LoadBalancer {

  private final Map<Endpoint, double[]> current = new HashMap<>();
  private List<Provider> lastList;

  @Override
  public synchronized Provider pick(List<Provider> providers, Invocation invocation) {
    int n = providers.size();
    if (n == 1) {
      return providers.get(0);
    }
    if (providers != lastList) {
      lastList = providers;
      if (current.size() > n) {
        Set<Endpoint> live = new HashSet<>();
        providers.forEach(p -> live.add(p.endpoint()));
        current.keySet().retainAll(live);
      }
    }
    double total = 0;
    Provider best = null;
    double[] bestCurrent = null;
    for (int i = 0; i < n; i++) {
      Provider p = providers.get(i);
      double[] c = current.computeIfAbsent(p.endpoint(), e -> new double[1]);
      double w = WeightedRandomLoadBalancer.effectiveWeight(p);
      c[0] += w;
      total += w;
      if (bestCurrent == null || c[0] > bestCurrent[0]) {
        best = p;
        bestCurrent = c;
      }
    }
    bestCurrent[0] -= total;
    return best;
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory implements LoadBalancerFactory {
    @Override
    public String name() {
      return LoadBalancers.ROUND_ROBIN;
    }

    @Override
    public LoadBalancer newLoadBalancer() {
      return new RoundRobinLoadBalancer();
    }
  }
}
