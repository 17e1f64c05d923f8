package io.courier.internal.cluster;

import io.courier.common.Endpoint;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one client has seen of one endpoint: calls in flight, a peak-sensitive latency average that decays with
 * time (the first call, which also connects, is left out of it), failures in a row, and the outlier-ejection state. Times are {@code System.nanoTime()} values passed in, so
 * tests can drive the clock. Invariant: {@code inFlight} counts attempts started and not yet finished; the other
 * mutable fields are guarded by {@code this} (the volatile ones are also read without the lock).
 */
final class EndpointHealth {

  /** How fast the latency average forgets: a sample's weight falls to 1/e after this long. */
  static final double DECAY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Endpoint endpoint;
  private final AtomicInteger inFlight = new AtomicInteger();
  private double ewmaNanos;
  private long sampledAt;
  private boolean sampled;
  private boolean warm;
  private volatile int consecutiveFailures;
  private int ejections;
  private volatile boolean ejected;
  private volatile long ejectedUntil;

  EndpointHealth(Endpoint endpoint) {
    this.endpoint = endpoint;
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
          sample(now, elapsedNanos);
          consecutiveFailures = 0;
          if (ejected && now - ejectedUntil >= 0) { // a probe succeeded: back in, and forgiven
            ejected = false;
            ejections = 0;
          }
        }
        case SLOW -> sample(now, elapsedNanos);
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

  /** The latency average decayed to {@code now}; 0 before the first sample. */
  synchronized long latencyNanos(long now) {
    if (!sampled) {
      return 0;
    }
    return (long) (ewmaNanos * Math.exp(-Math.max(0, now - sampledAt) / DECAY_NANOS));
  }

  // guarded by this; the first call to an endpoint also connects, so its time says little and is not counted
  private void sample(long now, long elapsedNanos) {
    if (!warm) {
      warm = true;
      return;
    }
    double rtt = Math.max(0, elapsedNanos);
    if (!sampled) {
      ewmaNanos = rtt;
      sampled = true;
    } else {
      double w = Math.exp(-Math.max(0, now - sampledAt) / DECAY_NANOS);
      double decayed = ewmaNanos * w;
      ewmaNanos = rtt > decayed ? rtt : decayed + rtt * (1 - w);
    }
    sampledAt = now;
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
