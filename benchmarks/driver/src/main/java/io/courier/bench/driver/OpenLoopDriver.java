package io.courier.bench.driver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open loop: call {@code i} of a schedule is due at {@code start + i / rate}, whatever happened to earlier calls, and
 * its latency is measured from that <em>intended</em> start, so that a system that falls behind shows its queueing
 * delay in the percentiles instead of hiding it (no coordinated omission).
 *
 * <p><b>Two schedules.</b> The warm-up runs its own schedule at the same rate from the start of the load. When the
 * window opens, a new schedule starts at that instant and the warm-up's is abandoned: its calls not yet started are
 * dropped, and its calls still in flight finish unrecorded. The window therefore never inherits a warm-up backlog, and
 * every call it measures was due inside it.
 *
 * <p><b>Callers.</b> Where the system's client has an asynchronous API ({@link AsyncOperation}), one scheduler thread
 * starts each call at its time and the answer is recorded when it completes: the driver costs one thread and no
 * hand-off per call, so it does not limit the rate. Otherwise the calls are blocking ({@link Operation}) and each call
 * in flight needs a thread: callers take the next due call in turn, wait for its time, make it; whenever a caller
 * starts a call and no other caller is left waiting for the next one, it starts a new caller, so that there is always
 * one ready. Either way at most {@code spec.concurrency()} calls are in flight (a system with that many has long fallen
 * behind; the next call then waits, which shows as lag; asynchronously at least a quarter of a second's calls, see
 * {@link #maxInFlight}). The driver reports the largest delay between a call's
 * intended and actual start (the schedule lag: the client could not even send on time), the calls sent, those still
 * unanswered at the end, and the most calls in flight at once.
 *
 * <p><b>Kept or not.</b> {@link #sustained} decides whether a cell kept its rate: at least 95 % of the target rate
 * completed in the window, no call started more than a tenth of the window (at most a second) late, and the driver
 * never needed all its callers (with that many calls in flight the backlog, not the system, sets the latency). A cell
 * that did not is reported as unable to sustain the rate, not as a latency.
 */
public final class OpenLoopDriver extends LoadDriver {

  /** Callers started with the load; more are started as the schedule needs them. */
  static final int INITIAL_CALLERS = 8;
  private static final long JOIN_DEADLINE_MILLIS = 30_000;
  /** Longest single park while waiting for a due time, so that a switch of schedule is noticed promptly. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final AsyncOperation async;
  private final double periodNanos;
  private final int maxCallers;
  private final Recorder latencies = new Recorder(3);
  /** The warm-up's latencies: recorded and read as the window's are, so that code is compiled before the window. */
  private final Recorder warmupLatencies = new Recorder(3);
  private final List<Thread> callers = new CopyOnWriteArrayList<>();
  private final AtomicInteger idle = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger busy = new AtomicInteger();
  private final LongAdder errors = new LongAdder();
  private volatile Schedule schedule;
  private volatile boolean running = true;

  /** One schedule: the warm-up's, then the window's. */
  private static final class Schedule {
    final long startNanos;
    final boolean measured;
    /** Where this schedule's answers are recorded: a warm-up call answered after the window opened stays out of it. */
    final Recorder latencies;
    final AtomicLong next = new AtomicLong();
    final LongAdder sent = new LongAdder();
    final LongAdder answered = new LongAdder();
    final AtomicLong maxLagNanos = new AtomicLong();
    final AtomicInteger maxBusy = new AtomicInteger();

    Schedule(long startNanos, boolean measured, Recorder latencies) {
      this.startNanos = startNanos;
      this.measured = measured;
      this.latencies = latencies;
    }
  }

  /** Blocking calls from caller threads. */
  public OpenLoopDriver(Operation operation, CellSpec spec, ProcessMeters meters) {
    this(operation, null, spec, meters);
  }

  /** Asynchronous calls started by one scheduler thread. */
  public OpenLoopDriver(AsyncOperation async, CellSpec spec, ProcessMeters meters) {
    this(null, async, spec, meters);
  }

  private OpenLoopDriver(Operation operation, AsyncOperation async, CellSpec spec, ProcessMeters meters) {
    super(operation, spec, meters);
    if (!(spec.rate() > 0)) {
      throw new IllegalArgumentException("open loop needs a rate: " + spec.label());
    }
    this.async = async;
    this.periodNanos = 1e9 / spec.rate();
    this.maxCallers = maxInFlight(spec, async != null);
  }

  /**
   * The most calls a cell may have in flight: {@code spec.concurrency()} caller threads; asynchronously, where a call
   * in flight costs no thread, also at least a quarter of a second's calls at the cell's rate (a pause of the client
   * JVM that long is not yet falling behind).
   */
  public static int maxInFlight(CellSpec spec, boolean asynchronous) {
    return asynchronous ? Math.max(spec.concurrency(), (int) Math.ceil(spec.rate() / 4)) : spec.concurrency();
  }

  /** Whether calls are started asynchronously by one scheduler thread (else by caller threads). */
  public boolean asynchronous() {
    return async != null;
  }

  /**
   * Whether a window kept its schedule: at least 95 % of {@code rate} completed ({@code calls} over
   * {@code windowNanos}), the largest start delay at most a tenth of the window and at most a second, and the callers
   * never all in use ({@code peakCallers < maxCallers}).
   */
  public static boolean sustained(double rate, long calls, long windowNanos, long maxLagNanos, int peakCallers,
      int maxCallers) {
    double achieved = windowNanos <= 0 ? 0 : calls * 1e9 / windowNanos;
    long lagLimit = Math.min(TimeUnit.SECONDS.toNanos(1), windowNanos / 10);
    return achieved >= 0.95 * rate && maxLagNanos <= lagLimit && peakCallers < maxCallers;
  }

  @Override
  protected void startLoad(long startNanos) {
    schedule = new Schedule(startNanos, false, warmupLatencies);
    if (async != null) {
      Thread t = new Thread(this::runScheduler, "bench-scheduler");
      t.setDaemon(true);
      callers.add(t);
      t.start();
      return;
    }
    for (int i = 0; i < Math.min(INITIAL_CALLERS, maxCallers); i++) {
      startCaller();
    }
  }

  /** The asynchronous mode's one thread: starts each call at its time, never waiting for an answer. */
  private void runScheduler() {
    while (running) {
      Schedule s = schedule;
      long i = s.next.getAndIncrement();
      long intended = s.startNanos + (long) (i * periodNanos);
      long now;
      while ((now = System.nanoTime()) < intended && running && schedule == s) {
        LockSupport.parkNanos(Math.min(intended - now, MAX_PARK_NANOS));
      }
      while (busy.get() >= maxCallers && running && schedule == s) {
        LockSupport.parkNanos(50_000); // as many calls in flight as allowed: this one waits, and its lag shows it
      }
      if (!running) {
        break;
      }
      if (schedule != s) {
        continue; // the warm-up's schedule ended: its calls not yet started are dropped
      }
      now = System.nanoTime();
      s.sent.increment();
      s.maxLagNanos.accumulateAndGet(now - intended, Math::max);
      s.maxBusy.accumulateAndGet(busy.incrementAndGet(), Math::max);
      java.util.concurrent.CompletionStage<?> stage;
      try {
        stage = async.start(i);
      } catch (Throwable e) {
        answered(s, intended, e);
        continue;
      }
      stage.whenComplete((result, e) -> answered(s, intended, e));
    }
  }

  private void answered(Schedule s, long intended, Throwable e) {
    if (e == null) {
      s.latencies.recordValue(System.nanoTime() - intended);
    } else if (s.measured) {
      errors.increment();
      noteFailure(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
    }
    s.answered.increment();
    busy.decrementAndGet();
  }

  private void startCaller() {
    int n;
    do {
      n = started.get();
      if (n >= maxCallers) {
        return; // at the cap: calls wait for a free caller, which shows as schedule lag
      }
    } while (!started.compareAndSet(n, n + 1));
    idle.incrementAndGet();
    Thread t = new Thread(this::runCaller, "bench-caller-" + n);
    t.setDaemon(true);
    callers.add(t);
    t.start();
  }

  private void runCaller() {
    while (running) {
      Schedule s = schedule;
      long i = s.next.getAndIncrement();
      long intended = s.startNanos + (long) (i * periodNanos);
      long now;
      while ((now = System.nanoTime()) < intended && running && schedule == s) {
        LockSupport.parkNanos(Math.min(intended - now, MAX_PARK_NANOS));
      }
      if (!running) {
        break;
      }
      if (schedule != s) {
        continue; // the warm-up's schedule ended while this call waited for its time: dropped, never sent
      }
      if (idle.decrementAndGet() == 0) {
        startCaller(); // nobody is left waiting for the next due call
      }
      s.sent.increment();
      s.maxLagNanos.accumulateAndGet(now - intended, Math::max);
      s.maxBusy.accumulateAndGet(busy.incrementAndGet(), Math::max);
      try {
        operation.call(i);
        s.latencies.recordValue(System.nanoTime() - intended);
        s.answered.increment();
      } catch (Throwable e) {
        if (s.measured) {
          errors.increment();
          noteFailure(e);
        }
        s.answered.increment();
      }
      busy.decrementAndGet();
      idle.incrementAndGet();
    }
    idle.decrementAndGet();
  }

  @Override
  protected long completions() {
    return schedule.answered.sum();
  }

  @Override
  protected void openWindow() {
    latencies.reset();
    schedule = new Schedule(System.nanoTime(), true, latencies);
  }

  @Override
  protected Histogram intervalHistogram() {
    return latencies.getIntervalHistogram();
  }

  @Override
  protected Histogram warmupIntervalHistogram() {
    return warmupLatencies.getIntervalHistogram();
  }

  @Override
  protected long errorsInWindow() {
    return errors.sum();
  }

  @Override
  protected LoadOutcome.Schedule closeWindow() {
    Schedule s = schedule;
    long now = System.nanoTime();
    long sent = s.sent.sum();
    // a call that was due before now but has not started is late by at least (now - its intended start)
    long dueByNow = (long) Math.floor((now - s.startNanos) / periodNanos) + 1;
    long lag = s.maxLagNanos.get();
    if (sent < dueByNow) {
      long oldestUnsent = s.startNanos + (long) (sent * periodNanos);
      lag = Math.max(lag, now - oldestUnsent);
    }
    return new LoadOutcome.Schedule(spec.rate(), sent, lag, Math.max(0, sent - s.answered.sum()), s.maxBusy.get(),
        async != null);
  }

  @Override
  protected void stopLoad() throws InterruptedException {
    running = false;
    long deadline = System.currentTimeMillis() + JOIN_DEADLINE_MILLIS;
    for (Thread t : callers) {
      t.join(Math.max(1, deadline - System.currentTimeMillis()));
    }
    while (busy.get() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(1); // asynchronous calls still in flight finish before the next cell starts
    }
  }
}
