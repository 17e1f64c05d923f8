package io.courier.internal.cluster;

import static io.courier.internal.cluster.BalancerSimulation.MS;
import static io.courier.internal.cluster.BalancerSimulation.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.courier.cluster.Provider;
import io.courier.internal.cluster.BalancerSimulation.Latency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The default balancer on its own (fake providers whose numbers a test sets) and over the cluster layer's real
 * latency averages ({@link BalancerSimulation}: simulated latencies on a fake clock). Everything is seeded; nothing
 * sleeps or measures time.
 */
class PowerOfTwoChoicesLoadBalancerTest {

  /** A fair share of three, and the ±25 % around it that identical providers must stay within. */
  private static final double THIRD = 1.0 / 3;
  private static final double LOW = THIRD * 0.75;
  private static final double HIGH = THIRD * 1.25;

  private final Random random = new Random(11);
  private final PowerOfTwoChoicesLoadBalancer balancer = new PowerOfTwoChoicesLoadBalancer(() -> random);

  // --- identical providers: even shares ----------------------------------------------------------------------------

  @Test
  void identicalProvidersShareEvenlyWithOneCallAtATime() {
    for (long seed = 1; seed <= 3; seed++) {
      assertEven("sequential, jitter", seed, () -> Latency.typical(0.3), s -> s.sequential(15_000));
      assertEven("sequential, hiccups", seed, () -> Latency.withHiccups(0.3, 2_000), s -> s.sequential(15_000));
      assertEven("sequential, cold start", seed, PowerOfTwoChoicesLoadBalancerTest::coldStart,
          s -> s.sequential(60_000));
    }
  }

  @Test
  void identicalProvidersShareEvenlyAtTheReportedLoad() {
    // The report: 500 calls/s for 30 s over three healthy providers, 10,035 / 128 / 4,837 calls.
    for (long seed = 1; seed <= 3; seed++) {
      assertEven("500/s, jitter", seed, () -> Latency.typical(0.3), s -> s.rate(500, 30 * SECOND));
      assertEven("500/s, hiccups", seed, () -> Latency.withHiccups(0.3, 2_000), s -> s.rate(500, 30 * SECOND));
      assertEven("500/s, cold start", seed, PowerOfTwoChoicesLoadBalancerTest::coldStart,
          s -> s.rate(500, 30 * SECOND));
    }
  }

  @Test
  void identicalProvidersShareEvenlyUnderHighConcurrency() {
    for (long seed = 1; seed <= 3; seed++) {
      assertEven("32 callers, hiccups", seed, () -> Latency.withHiccups(0.3, 2_000),
          s -> s.concurrent(32, 300_000));
      assertEven("32 callers, cold start", seed, PowerOfTwoChoicesLoadBalancerTest::coldStart,
          s -> s.concurrent(32, 300_000));
      assertEven("50,000/s, hiccups", seed, () -> Latency.withHiccups(0.3, 2_000), s -> s.rate(50_000, 3 * SECOND));
    }
  }

  @Test
  void equalCostsAreAFairCoin() {
    FakeProvider a = new FakeProvider("a", 100);
    FakeProvider b = new FakeProvider("b", 100);
    a.latencyNanos = b.latencyNanos = 2 * MS;
    int aPicks = 0;
    for (int i = 0; i < 20_000; i++) {
      aPicks += balancer.pick(List.of(a, b), FakeProvider.call("u")) == a ? 1 : 0;
    }
    assertThat(aPicks / 20_000.0).isCloseTo(0.5, within(0.015));
  }

  // --- slow providers: less traffic -------------------------------------------------------------------------------

  @Test
  void theCheaperOfTwoWinsInProportionToTheOthersCost() {
    FakeProvider slow = new FakeProvider("slow", 100);
    FakeProvider fast = new FakeProvider("fast", 100);
    slow.latencyNanos = 10 * MS;
    fast.latencyNanos = 5 * MS; // costs half: wins 2 draws in 3
    assertThat(share(fast, List.of(slow, fast), 30_000)).isCloseTo(2.0 / 3, within(0.015));
    fast.inFlight = 1; // now they cost the same
    assertThat(share(fast, List.of(slow, fast), 30_000)).isCloseTo(0.5, within(0.015));
  }

  @Test
  void aProviderWhoseCallsPileUpLosesOutright() {
    FakeProvider piling = new FakeProvider("piling", 100);
    FakeProvider idle = new FakeProvider("idle", 100);
    piling.latencyNanos = idle.latencyNanos = 5 * MS;
    piling.inFlight = 2; // 3x the cost: still a draw, if a poor one
    assertThat(share(piling, List.of(piling, idle), 30_000)).isCloseTo(0.25, within(0.015));
    piling.inFlight = 3; // 4x the cost, 4x the calls in flight (+1): never
    assertThat(share(piling, List.of(piling, idle), 30_000)).isZero();
    idle.latencyNanos = 20 * MS; // as costly per call: a draw again
    assertThat(share(piling, List.of(piling, idle), 30_000)).isCloseTo(0.5, within(0.015));
  }

  @Test
  void aProviderWithCallsInFlightAndNoAnswerYetCostsAPenalty() {
    FakeProvider hung = new FakeProvider("hung", 100);
    FakeProvider known = new FakeProvider("known", 100);
    hung.inFlight = 1;
    known.latencyNanos = 1_000_000_000; // a whole second, still better than nothing back at all
    known.inFlight = 10;
    assertThat(share(hung, List.of(hung, known), 10_000)).isZero();
  }

  @Test
  void aProviderWithoutALatencySampleIsTakenToBeAsFastAsTheOther() {
    FakeProvider fresh = new FakeProvider("fresh", 100);
    FakeProvider known = new FakeProvider("known", 100);
    known.latencyNanos = 3 * MS;
    assertThat(share(fresh, List.of(fresh, known), 30_000)).as("not 'free', which would win every draw")
        .isCloseTo(0.5, within(0.015));
    known.inFlight = 1;
    assertThat(share(fresh, List.of(fresh, known), 30_000)).isCloseTo(2.0 / 3, within(0.015));
  }

  @Test
  void rarelyPicksTheWorstOfThreeAndSplitsEvenlyBetweenTheOtherTwo() {
    FakeProvider a = new FakeProvider("a", 100);
    FakeProvider b = new FakeProvider("b", 100);
    FakeProvider worst = new FakeProvider("worst", 100);
    a.latencyNanos = b.latencyNanos = 1_000_000;
    worst.latencyNanos = 9_000_000;
    Map<Provider, Integer> picks = new LinkedHashMap<>();
    for (int i = 0; i < 30_000; i++) {
      picks.merge(balancer.pick(List.of(a, worst, b), FakeProvider.call("u")), 1, Integer::sum);
    }
    assertThat(picks.get(worst)).isBetween(1_300, 2_700); // 2/3 x 1/10 of the draws: 2,000
    assertThat(picks.get(a) - picks.get(b)).isBetween(-600, 600);
  }

  @Test
  void steersAwayFromASlowProvider() {
    Map<FakeProvider, Integer> latency = new LinkedHashMap<>();
    latency.put(new FakeProvider("fast1", 100), 2);
    latency.put(new FakeProvider("fast2", 100), 2);
    latency.put(new FakeProvider("fast3", 100), 2);
    latency.put(new FakeProvider("slow", 100), 40);
    Map<String, Integer> picks = SlowProviderSimulation.run(balancer, latency, 10_000);
    assertThat(picks.get("slow")).isLessThan(10_000 / 20); // uniform would be a quarter
  }

  @Test
  void aSlowerProviderGetsLessTheSlowerItIs() {
    for (long seed = 1; seed <= 2; seed++) {
      for (boolean sequential : new boolean[] {true, false}) {
        double twice = slowShare(seed, 2, sequential);
        double tenTimes = slowShare(seed, 10, sequential);
        double hundredTimes = slowShare(seed, 100, sequential);
        String load = sequential ? "one call at a time" : "32 callers";
        assertThat(twice).as("2x slower, " + load).isBetween(0.12, 0.28);
        assertThat(tenTimes).as("10x slower, " + load).isLessThan(0.08).isLessThan(twice);
        assertThat(hundredTimes).as("100x slower, " + load).isLessThan(0.01).isLessThan(tenTimes);
      }
    }
  }

  @Test
  void aProviderThatTurnsSlowLosesItsShareWithinASecondAndRegainsItWhenItRecovers() {
    for (long seed = 1; seed <= 3; seed++) {
      BalancerSimulation s = three(seed, Latency.withHiccups(0.3, 2_000));
      s.rate(500, 10 * SECOND);
      s.latency("p3", Latency.typical(50)); // as SlowProviderTest in rpc-chaos: 50 ms added to every call
      s.resetCounts();
      s.rate(500, SECOND);
      assertThat(s.shares().get("p3")).as("seed %d: share of the slowed provider in its first second", seed)
          .isLessThan(THIRD / 3);
      s.resetCounts();
      s.rate(500, 10 * SECOND);
      assertThat(s.shares().get("p3")).as("seed %d: in the ten seconds after", seed).isLessThan(0.01);

      s.latency("p3", Latency.withHiccups(0.3, 2_000));
      s.rate(500, 30 * SECOND); // its average decays until it is tried again, and one fast answer counts
      s.resetCounts();
      s.rate(500, 10 * SECOND);
      assertThat(s.shares().get("p3")).as("seed %d: recovered", seed).isBetween(LOW, HIGH);
    }
  }

  @Test
  void aHungProviderGetsOnlyAFewCalls() {
    for (long seed = 1; seed <= 3; seed++) {
      BalancerSimulation s = three(seed, Latency.withHiccups(0.3, 2_000));
      s.rate(5_000, 5 * SECOND);
      s.latency("p3", r -> 60 * SECOND);
      s.resetCounts();
      s.rate(5_000, 5 * SECOND);
      assertThat(s.picks().get("p3")).as("seed %d: calls sent to it in 5 s of 25,000", seed).isLessThan(50);
    }
  }

  // --- slow start -------------------------------------------------------------------------------------------------

  @Test
  void aProviderInSlowStartGetsItsShareScaledByItsFactor() {
    FakeProvider a = new FakeProvider("a", 100);
    FakeProvider b = new FakeProvider("b", 100);
    FakeProvider fresh = new FakeProvider("fresh", 100);
    a.latencyNanos = b.latencyNanos = fresh.latencyNanos = 2 * MS;
    for (double factor : new double[] {0.1, 0.5, 0.9}) {
      fresh.slowStart = factor;
      assertThat(share(fresh, List.of(a, b, fresh), 60_000)).as("factor %s", factor)
          .isCloseTo(factor * THIRD, within(0.01));
    }
    a.slowStart = b.slowStart = fresh.slowStart = 0.1; // all new together, as when a client starts: no change
    assertThat(share(fresh, List.of(a, b, fresh), 60_000)).isCloseTo(THIRD, within(0.01));
  }

  @Test
  void aProviderThatJoinsRampsUpLinearlyOverTheSlowStartWindow() {
    for (long seed = 1; seed <= 3; seed++) {
      BalancerSimulation s = new BalancerSimulation(new PowerOfTwoChoicesLoadBalancer(seeded(seed)), seed,
          SlowStart.DEFAULT); // 10 s from 10 %
      for (String host : List.of("p1", "p2", "p3")) {
        s.provider(host, Latency.typical(0.3));
      }
      s.rate(2_000, 20 * SECOND); // the three are past their own slow start
      s.provider("p4", Latency.typical(0.3));
      for (int second = 0; second < 13; second++) {
        s.resetCounts();
        s.rate(2_000, SECOND);
        double factor = Math.min(1, 0.1 + 0.9 * (second + 0.5) / 10); // on average over that second
        assertThat(s.shares().get("p4")).as("seed %d, second %d after it joined: %s", seed, second, s.picks())
            .isCloseTo(factor / 4, within(0.03));
      }
    }
  }

  // --- helpers ----------------------------------------------------------------------------------------------------

  /** Cold JVMs: the first 20 calls each provider answers take 2-30 ms, then it answers like the others. */
  private static Latency coldStart() {
    Latency warm = Latency.withHiccups(0.3, 5_000);
    int[] calls = new int[1];
    return r -> calls[0]++ < 20 ? r.nextLong(2 * MS, 30 * MS) : warm.nanos(r);
  }

  private static Supplier<Random> seeded(long seed) {
    Random r = new Random(seed);
    return () -> r;
  }

  private static BalancerSimulation three(long seed, Latency latency) {
    return new BalancerSimulation(new PowerOfTwoChoicesLoadBalancer(seeded(seed)), seed)
        .provider("p1", latency).provider("p2", latency).provider("p3", latency);
  }

  private static void assertEven(String scenario, long seed, Supplier<Latency> latency,
      Consumer<BalancerSimulation> load) {
    BalancerSimulation s = new BalancerSimulation(new PowerOfTwoChoicesLoadBalancer(seeded(seed)), seed)
        .provider("p1", latency.get()).provider("p2", latency.get()).provider("p3", latency.get());
    load.accept(s);
    assertThat(s.shares().values()).as("%s, seed %d: calls %s", scenario, seed, s.picks())
        .allSatisfy(share -> assertThat(share).isBetween(LOW, HIGH));
  }

  private static double slowShare(long seed, double times, boolean sequential) {
    BalancerSimulation s = new BalancerSimulation(new PowerOfTwoChoicesLoadBalancer(seeded(seed)), seed)
        .provider("p1", Latency.typical(0.3)).provider("p2", Latency.typical(0.3))
        .provider("p3", Latency.typical(0.3 * times));
    if (sequential) {
      s.sequential(15_000);
    } else {
      s.concurrent(32, 30_000);
    }
    return s.shares().get("p3");
  }

  private double share(Provider of, List<Provider> providers, int picks) {
    int n = 0;
    for (int i = 0; i < picks; i++) {
      n += balancer.pick(providers, FakeProvider.call("u")) == of ? 1 : 0;
    }
    return n / (double) picks;
  }
}
