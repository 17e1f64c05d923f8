package io.courier.internal.cluster;

import io.courier.common.Endpoint;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What one client has seen of one endpoint — of one registration of it: calls in flight, a latency average that
 * decays with time (the first call, which also connects, is left out of it), failures in a row, the outlier-ejection
 * state, and since when the client lists it (for slow start). Times are {@code System.nanoTime()} values passed in,
 * so tests can drive the clock. Invariant: {@code inFlight} counts attempts started and not yet finished; the other
 * mutable fields are guarded by {@code this} (the volatile ones are also read without the lock).
 */
final class EndpointHealth {

  /**
   * How fast the latency average forgets, and how fast it decays while no call completes: a sample's weight falls
   * to 1/e after this long.
   */
  static final double DECAY_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** How fast it forgets when an answer comes back faster than the average: a provider getting faster shows soon. */
  static final double FALL_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The least weight a sample has: answers in the same nanosecond still count. */
  private static final double MIN_WEIGHT = 1e-9;

  private final Endpoint endpoint;
  private final long since;
  private final SlowStart slowStart;
  private final AtomicInteger inFlight = new AtomicInteger();
  private double weightedNanos; // the samples, each times its weight, decayed
  private double weights; // their weights, decayed: below 1 only during the first DECAY_NANOS of samples
  private long sampledAt; // the last answer, counted or not
  private long lastStart; // the latest start of a call answered (of the first call: its answer)
  private boolean sampled;
  private boolean warm;
  private volatile int consecutiveFailures;
  private int ejections;
  private volatile boolean ejected;
  private volatile long ejectedUntil;
  private volatile boolean rampedUp; // slow start is over: set once, never cleared
  private volatile boolean answered; // an attempt succeeded (or was only slow): set once, never cleared

  /** A health with slow start off, as if listed for ever. */
  EndpointHealth(Endpoint endpoint) {
    this(endpoint, 0, SlowStart.OFF);
  }

  /** @param since when the client started to list the endpoint (this registration of it) */
  EndpointHealth(Endpoint endpoint, long since, SlowStart slowStart) {
    this.endpoint = endpoint;
    this.since = since;
    this.slowStart = slowStart;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  int inFlight() {
    return inFlight.get();
  }

  int consecutiveFailures() {
    return consecutiveFailures;
  }

  void started() {
    inFlight.incrementAndGet();
  }

  /** Records the end of an attempt that took {@code elapsedNanos}. */
  void finished(long now, long elapsedNanos, Failures.Outcome outcome, OutlierDetection outliers) {
    inFlight.decrementAndGet();
    synchronized (this) {
      switch (outcome) {
        case SUCCESS -> {
          answered = true;
          sample(now, elapsedNanos);
          consecutiveFailures = 0;
          if (ejected && now - ejectedUntil >= 0) { // a probe succeeded: back in, and forgiven
            ejected = false;
            ejections = 0;
          }
        }
        case SLOW -> {
          answered = true;
          sample(now, elapsedNanos);
        }
        case UNREACHABLE -> {
          consecutiveFailures++;
          eject(now, outliers);
        }
        case FAILURE -> {
          consecutiveFailures++;
          if (ejected || consecutiveFailures >= outliers.consecutiveFailures()) {
            eject(now, outliers);
          }
        }
        case NEUTRAL -> { }
      }
    }
  }

  /** Whether a balancer may choose this endpoint: not ejected, or its ejection is over and no probe is running. */
  boolean isAvailable(long now) {
    return !ejected || (now - ejectedUntil >= 0 && inFlight.get() == 0);
  }

  /**
   * The latency average decayed to {@code now}; 0 before the first sample and never 0 after it (an average that has
   * decayed for minutes is still a measurement, not "never answered").
   */
  synchronized long latencyNanos(long now) {
    if (!sampled) {
      return 0;
    }
    double average = weightedNanos / weights;
    return Math.max(1, (long) (average * Math.exp(-Math.max(0, now - sampledAt) / DECAY_NANOS)));
  }

  /** Where slow start has this endpoint's share now: from the floor up to 1. Reads the clock only until it is 1. */
  double slowStartFactor(LongSupplier clock) {
    if (rampedUp) {
      return 1;
    }
    double factor = slowStart.factor(since, clock.getAsLong());
    if (factor >= 1) {
      rampedUp = true;
    }
    return factor;
  }

  /** Whether an attempt to this endpoint has succeeded (or was only slow) since the client listed it. */
  boolean hasAnswered() {
    return answered;
  }

  /** Whether the outlier detection has this endpoint out (or on probation) right now. */
  boolean isEjected() {
    return ejected;
  }

  /*
   * Guarded by this. The first call to an endpoint also connects, so its time says little and is not counted.
   *
   * Each sample weighs in by the time between its call's start and the start of the call sampled before it,
   * 1 - e^(-gap/tau), and the average is the weighted sum over the sum of the weights. So under steady traffic it is
   * the mean of about the last tau; at first it is the plain mean of the samples so far (not the first sample carried
   * for tens of seconds); after a long silence the new sample all but replaces it. Measuring the gap from start to
   * start keeps one slow answer from weighing by its own length (while one caller waits for it nothing else is
   * sampled), and an answer overtaken by a later call counts little; a provider that stays slow weighs in fully from
   * its second slow answer on. tau is DECAY_NANOS, or FALL_NANOS for an answer faster than the average: a provider
   * that was slow — cold after a restart, or out of a GC storm — is seen to be fast again within a second or two
   * instead of being held back for tens of seconds by what it did while it warmed up.
   *
   * It deliberately does not jump up to a slow sample, as a peak-EWMA does: one pause (a GC, a descheduled thread)
   * would then mark a healthy provider slow for tens of seconds, and since a provider out of favour gets few calls
   * to correct that, one of several identical providers would be starved while another took most calls. A provider
   * that really is slow shows at once in its calls in flight, and in its average within a few answers.
   */
  private void sample(long now, long elapsedNanos) {
    long start = now - Math.max(0, elapsedNanos);
    long gap = Math.max(0, start - lastStart);
    sampledAt = now;
    if (!warm) {
      warm = true;
      lastStart = now; // the next call's gap runs from here: the connecting call's length is no measure of anything
      return;
    }
    if (start - lastStart > 0) {
      lastStart = start;
    }
    double rtt = Math.max(0, elapsedNanos);
    double w = Math.exp(-gap / (sampled && rtt < weightedNanos / weights ? FALL_NANOS : DECAY_NANOS));
    double weight = Math.max(1 - w, MIN_WEIGHT);
    weightedNanos = weightedNanos * w + rtt * weight;
    weights = weights * w + weight;
    sampled = true;
  }

  // guarded by this
  private void eject(long now, OutlierDetection outliers) {
    if (!outliers.enabled() || (ejected && now - ejectedUntil < 0)) {
      return; // off, or already out: failures of calls started before the ejection do not extend it
    }
    ejections++;
    long base = outliers.baseEjection().toNanos();
    long max = outliers.maxEjection().toNanos();
    int doublings = Math.min(ejections - 1, 30);
    long duration = base > (max >> doublings) ? max : Math.min(max, base << doublings);
    ejectedUntil = now + duration;
    ejected = true;
  }

  @Override
  public synchronized String toString() {
    return endpoint + "{inFlight=" + inFlight.get() + ", failures=" + consecutiveFailures
        + (ejected ? ", ejected " + ejections + "x" : "") + "}";
  }
}
