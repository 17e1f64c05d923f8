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
 * {@value LoadBalancers#P2C}: two distinct providers at random, and a draw between them weighted by cost, where cost
 * is the latency average times (calls in flight + 1), the cost Finagle's and Linkerd's EWMA balancers compare.
 *
 * <p>Each of the two wins with a probability inversely proportional to its cost (one costing twice the other wins a
 * third of the time) — except that a provider costing at least {@value #OUTRIGHT} times the other while also having
 * at least {@value #OUTRIGHT} times its calls in flight (+1) always loses. Calls in flight are exact and current, so
 * a provider they show piling up (hung, or far slower) is dropped outright; latency averages lag and carry noise, so
 * they only tilt the odds. A strict "cheaper wins" would turn small, meaningless differences between identical
 * providers into shares of 2/3, 1/3 and 0 of three providers for as long as the order holds — at low load, with no
 * calls in flight to even things out, tens of seconds — and a provider out of favour would get no calls to correct
 * its average.
 *
 * <p>A provider without a latency sample is taken to be as fast as the one it is compared with, unless it has calls
 * in flight and has never answered: then it loses every draw against a provider that has answered or is idle, so a
 * hung new provider is not flooded. A provider in slow start takes part in a draw only with the probability
 * {@link Provider#slowStartFactor()}, and loses it otherwise, so its share of calls is scaled by that factor.
 * Weights are not used. Stateless.
 */
public final class PowerOfTwoChoicesLoadBalancer implements LoadBalancer {

  /** The ratio of cost, and of calls in flight + 1, at which the costlier provider always loses. */
  static final int OUTRIGHT = 4;

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
    double warmA = a.slowStartFactor();
    double warmB = b.slowStartFactor();
    if (warmA < 1 || warmB < 1) {
      boolean inA = warmA >= 1 || r.nextDouble() < warmA;
      boolean inB = warmB >= 1 || r.nextDouble() < warmB;
      if (inA != inB) {
        return inA ? a : b;
      }
    }
    long latencyA = a.latencyNanos();
    long latencyB = b.latencyNanos();
    int inFlightA = a.inFlight();
    int inFlightB = b.inFlight();
    boolean silentA = latencyA == 0 && inFlightA > 0;
    boolean silentB = latencyB == 0 && inFlightB > 0;
    if (silentA != silentB) {
      return silentA ? b : a;
    }
    double costA = cost(latencyA != 0 ? latencyA : latencyB, inFlightA);
    double costB = cost(latencyB != 0 ? latencyB : latencyA, inFlightB);
    return r.nextDouble() < chanceOfFirst(costA, inFlightA, costB, inFlightB) ? a : b;
  }

  /** The cost of a provider whose latency average is {@code latency} (0: unknown): latency x (calls in flight + 1). */
  static double cost(long latency, int inFlight) {
    return (double) Math.max(1, latency) * (inFlight + 1);
  }

  /** The probability that the first of two providers wins the draw. */
  static double chanceOfFirst(double costFirst, int inFlightFirst, double costSecond, int inFlightSecond) {
    if (costFirst >= OUTRIGHT * costSecond && inFlightFirst + 1 >= OUTRIGHT * (inFlightSecond + 1L)) {
      return 0;
    }
    if (costSecond >= OUTRIGHT * costFirst && inFlightSecond + 1 >= OUTRIGHT * (inFlightFirst + 1L)) {
      return 1;
    }
    return costSecond / (costFirst + costSecond);
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
