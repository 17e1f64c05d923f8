package io.courier.chaos.load;

import io.courier.common.RpcException;
import io.courier.common.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Makes calls from {@code threads} threads, either as fast as each thread's previous call returns (closed loop) or
 * at a steady total rate, and records every outcome: successes, failures by {@link io.courier.common.StatusCode},
 * the latency of each call in an HdrHistogram, and optionally a tag of each result (which provider answered).
 *
 * <pre>{@code
 * try (LoadDriver load = LoadDriver.builder("kill -9, idempotent").threads(8).rate(1000)
 *     .call(seq -> inventory.stock("sku-" + seq % 100))
 *     .tag(result -> ((Inventory.Stock) result).provider())
 *     .start()) {
 *   load.awaitCompleted(2_000, Duration.ofSeconds(30));   // let it warm up
 *   ... disrupt ...
 *   load.awaitMore(3_000, Duration.ofSeconds(30));       // and run on under the disruption
 *   LoadReport report = load.stop();
 *   System.out.println(report.summary());                // sent 5000, failed 0 {}, max latency 35.1 ms (...)
 * }
 * }</pre>
 *
 * <p>A call's latency runs from the moment its thread makes it to the moment it returns. At a steady rate each
 * call also has a scheduled start; how far the driver fell behind that schedule is reported apart ("lag"), so that
 * a driver starved of CPU on a loaded machine is not mistaken for a slow framework. Calls block; each has the
 * deadline its stub gives it, so {@link #stop(Duration)} returns once the calls in flight have ended.
 *
 * <p>Invariant: {@code sent} is incremented before a call is made and exactly one of {@code succeeded} or a failure
 * counter after it returns, so {@code sent == succeeded + failed + inFlight} at every moment.
 */
public final class LoadDriver implements AutoCloseable {

  /** One call; {@code sequence} counts from 0 over the whole run. May throw; the failure is recorded. */
  @FunctionalInterface
  public interface Call {
    Object call(long sequence) throws Exception;
  }

  private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
  private static final int FAILURE_SAMPLES = 20;

  private final String name;
  private final int threads;
  private final double rate;
  private final long maxCalls;
  private final Duration duration;
  private final Call call;
  private final Function<Object, String> tag;

  private final List<Thread> workers = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong nextSequence = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> tags = new ConcurrentHashMap<>();
  private final List<String> failureSamples = new ArrayList<>(); // guarded by itself
  private final AtomicInteger sampled = new AtomicInteger();
  private final Histogram latency = new ConcurrentHistogram(1, HIGHEST_MICROS, 3);
  private final Histogram lag = new ConcurrentHistogram(1, HIGHEST_MICROS, 3);
  private volatile long startNanos;
  private volatile long stopNanos;
  private final AtomicLong firstFailureNanos = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastFailureNanos = new AtomicLong(Long.MIN_VALUE);

  private LoadDriver(Builder b) {
    this.name = b.name;
    this.threads = b.threads;
    this.rate = b.rate;
    this.maxCalls = b.maxCalls;
    this.duration = b.duration;
    this.call = b.call;
    this.tag = b.tag;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  private LoadDriver start() {
    startNanos = System.nanoTime();
    running.set(true);
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::work, "chaos-load-" + name.replaceAll("[^A-Za-z0-9]+", "-") + "-" + i);
      t.setDaemon(true);
      workers.add(t);
    }
    workers.forEach(Thread::start);
    return this;
  }

  private void work() {
    long periodNanos = rate > 0 ? (long) (TimeUnit.SECONDS.toNanos(1) / rate) : 0;
    long endNanos = duration == null ? Long.MAX_VALUE : startNanos + duration.toNanos();
    while (running.get()) {
      long seq = nextSequence.getAndIncrement();
      if (seq >= maxCalls) {
        return;
      }
      long now = System.nanoTime();
      if (now - endNanos >= 0) {
        return;
      }
      if (periodNanos > 0) {
        long scheduled = startNanos + seq * periodNanos;
        while (running.get() && (now = System.nanoTime()) - scheduled < 0) {
          LockSupport.parkNanos(scheduled - now);
        }
        if (!running.get()) {
          return;
        }
        lag.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(now - scheduled)));
      }
      once(seq);
    }
  }

  private void once(long seq) {
    sent.incrementAndGet();
    long began = System.nanoTime();
    Object result = null;
    Throwable error = null;
    try {
      result = call.call(seq);
    } catch (Throwable t) {
      error = t;
    }
    long ended = System.nanoTime();
    latency.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(ended - began)));
    if (error == null) {
      if (tag != null) {
        String t;
        try {
          t = String.valueOf(tag.apply(result));
        } catch (RuntimeException e) {
          t = "untaggable: " + e;
        }
        tags.computeIfAbsent(t, k -> new LongAdder()).increment();
      }
      succeeded.increment();
      return;
    }
    Throwable unwrapped = Status.unwrap(error);
    String kind = unwrapped instanceof RpcException rpc ? rpc.code().name() : unwrapped.getClass().getSimpleName();
    failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    firstFailureNanos.accumulateAndGet(ended, Math::min);
    lastFailureNanos.accumulateAndGet(ended, Math::max);
    if (sampled.getAndIncrement() < FAILURE_SAMPLES) {
      synchronized (failureSamples) {
        failureSamples.add(String.format("+%d ms #%d: %s", TimeUnit.NANOSECONDS.toMillis(ended - startNanos), seq,
            unwrapped));
      }
    }
    failed.increment(); // last, so that completed() counts a failure only once it is fully recorded
    if (error instanceof Error e && !(e instanceof AssertionError)) {
      throw e; // OutOfMemoryError and the like end this thread; the report still counts the call
    }
  }

  private static long clamp(long micros) {
    return Math.max(1, Math.min(HIGHEST_MICROS, micros));
  }

  /** Calls made so far (finished or not). */
  public long sent() {
    return sent.get();
  }

  /** Calls that returned, successfully or not. */
  public long completed() {
    return failed.sum() + succeeded.sum();
  }

  public long succeeded() {
    return succeeded.sum();
  }

  public long failed() {
    return failed.sum();
  }

  /** How many successful results carried {@code tag} so far. */
  public long tagged(String tag) {
    LongAdder n = tags.get(tag);
    return n == null ? 0 : n.sum();
  }

  /**
   * Waits until {@code target} calls have completed; this is how a scenario lets time pass under load without
   * sleeping.
   *
   * @throws AssertionError after {@code timeout}, or when the driver has stopped short of the target
   */
  public void awaitCompleted(long target, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (completed() < target) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(name + ": " + completed() + " of " + target + " calls completed after "
            + timeout.toMillis() + " ms (" + snapshot().summary() + ")");
      }
      if (!isRunning() && completed() == sent()) {
        throw new AssertionError(name + ": stopped after " + completed() + " calls, before " + target);
      }
      sleepAMillisecond();
    }
  }

  /** Waits until {@code more} calls beyond those completed now have completed. */
  public void awaitMore(long more, Duration timeout) {
    awaitCompleted(completed() + more, timeout);
  }

  /** Waits until the driver has made its calls (a call count or duration was set) and they have returned. */
  public LoadReport awaitDone(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : workers) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (t.isAlive()) {
        throw new AssertionError(name + ": not done after " + timeout.toMillis() + " ms: " + snapshot().summary());
      }
    }
    return stop();
  }

  private boolean isRunning() {
    for (Thread t : workers) {
      if (t.isAlive()) {
        return true;
      }
    }
    return false;
  }

  private static void sleepAMillisecond() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** What has happened so far, while the driver runs on. */
  public LoadReport snapshot() {
    long end = stopNanos != 0 ? stopNanos : System.nanoTime();
    List<String> samples;
    synchronized (failureSamples) {
      samples = List.copyOf(failureSamples);
    }
    long first = firstFailureNanos.get();
    long last = lastFailureNanos.get();
    return new LoadReport(name, threads, rate, Duration.ofNanos(end - startNanos), sent.get(), succeeded.sum(),
        counts(failures), counts(tags), latency.copy(), rate > 0 ? lag.copy() : null, samples,
        first == Long.MAX_VALUE ? null : Duration.ofNanos(first - startNanos),
        last == Long.MIN_VALUE ? null : Duration.ofNanos(last - startNanos));
  }

  private static Map<String, Long> counts(Map<String, LongAdder> adders) {
    Map<String, Long> copy = new TreeMap<>();
    adders.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** {@link #stop(Duration)} waiting up to 30 s, longer than any call's deadline in these scenarios. */
  public LoadReport stop() {
    return stop(Duration.ofSeconds(30));
  }

  /**
   * Makes no new call, waits up to {@code timeout} for the calls in flight to return, and reports.
   *
   * @throws AssertionError if calls are still in flight after {@code timeout}: a hang
   */
  public LoadReport stop(Duration timeout) {
    running.set(false);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : workers) {
      LockSupport.unpark(t);
      long left = deadline - System.nanoTime();
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<String> stuck = new ArrayList<>();
    for (Thread t : workers) {
      if (t.isAlive()) {
        stuck.add(t.getName() + " at " + (t.getStackTrace().length > 0 ? t.getStackTrace()[0] : "?"));
      }
    }
    if (stopNanos == 0) {
      stopNanos = System.nanoTime();
    }
    if (!stuck.isEmpty()) {
      throw new AssertionError(name + ": calls still in flight " + timeout.toMillis() + " ms after stopping: "
          + stuck + " (" + snapshot().summary() + ")");
    }
    return snapshot();
  }

  /** Stops without waiting long; for cleanup after a failed scenario. */
  @Override
  public void close() {
    running.set(false);
    workers.forEach(LockSupport::unpark);
    for (Thread t : workers) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Configures a {@link LoadDriver}; {@link #start()} validates and starts its threads. */
  public static final class Builder {
    private final String name;
    private int threads = 1;
    private double rate;
    private long maxCalls = Long.MAX_VALUE;
    private Duration duration;
    private Call call;
    private Function<Object, String> tag;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** Threads making calls; default 1. */
    public Builder threads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("threads: " + n + " (expected: >= 1)");
      }
      this.threads = n;
      return this;
    }

    /** Calls per second over all threads; each thread makes the next call when it is due. Default: closed loop. */
    public Builder rate(double callsPerSecond) {
      if (!(callsPerSecond > 0)) {
        throw new IllegalArgumentException("rate: " + callsPerSecond + " (expected: > 0)");
      }
      this.rate = callsPerSecond;
      return this;
    }

    /** Every thread calls again as soon as its previous call returns (the default). */
    public Builder closedLoop() {
      this.rate = 0;
      return this;
    }

    /** Stops after this many calls; default unlimited (until {@link LoadDriver#stop()}). */
    public Builder calls(long total) {
      if (total < 1) {
        throw new IllegalArgumentException("calls: " + total + " (expected: >= 1)");
      }
      this.maxCalls = total;
      return this;
    }

    /** Stops making calls after this long; default unlimited (until {@link LoadDriver#stop()}). */
    public Builder duration(Duration runFor) {
      if (runFor == null || runFor.isNegative() || runFor.isZero()) {
        throw new IllegalArgumentException("duration: " + runFor + " (expected: > 0)");
      }
      this.duration = runFor;
      return this;
    }

    public Builder call(Call c) {
      this.call = Objects.requireNonNull(c, "call");
      return this;
    }

    /** Counts successful results by {@code tagger(result)}, for example the provider that answered. */
    public Builder tag(Function<Object, String> tagger) {
      this.tag = Objects.requireNonNull(tagger, "tagger");
      return this;
    }

    public LoadDriver start() {
      if (call == null) {
        throw new IllegalStateException("no call set (expected: call(seq -> stub.method(...)))");
      }
      return new LoadDriver(this).start();
    }
  }
}
