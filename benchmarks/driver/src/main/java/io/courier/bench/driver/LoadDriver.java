package io.courier.bench.driver;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Runs one {@link CellSpec}: starts its load, warms it up until its throughput is steady (or for a fixed time),
 * measures a window, stops the load. The load's threads stay alive from warm-up to the end of the window, so that
 * their allocation is counted. Subclasses say how the load is made ({@link ClosedLoopDriver},
 * {@link OpenLoopDriver}).
 */
public abstract class LoadDriver {

  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  protected final Operation operation;
  protected final CellSpec spec;
  private final ProcessMeters meters;
  private final AtomicReference<String> firstError = new AtomicReference<>();

  protected LoadDriver(Operation operation, CellSpec spec, ProcessMeters meters) {
    this.operation = operation;
    this.spec = spec;
    this.meters = meters;
  }

  /** The driver {@code spec} asks for. */
  public static LoadDriver of(Operation operation, CellSpec spec, ProcessMeters meters) {
    return of(operation, null, spec, meters);
  }

  /** The driver {@code spec} asks for; an open loop uses {@code async} when it is not null. */
  public static LoadDriver of(Operation operation, AsyncOperation async, CellSpec spec, ProcessMeters meters) {
    if (spec.mode() == CellSpec.Mode.CLOSED) {
      return new ClosedLoopDriver(operation, spec, meters);
    }
    return async != null ? new OpenLoopDriver(async, spec, meters) : new OpenLoopDriver(operation, spec, meters);
  }

  /**
   * Runs the cell.
   *
   * @param window told when the measured window opens and closes
   * @param log where each second of the window goes as an interval histogram; may be null
   */
  public final LoadOutcome run(MeasurementWindow window, HistogramLogWriter log) throws InterruptedException {
    startLoad(System.nanoTime());
    try {
      long warmupStart = System.nanoTime();
      int settled = warmUp();
      long warmupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - warmupStart);
      window.opening();
      openWindow();
      long errorsBefore = errorsInWindow();
      ProcessMeters.Snapshot start = meters.snapshot();
      Histogram total = new Histogram(3);
      if (log != null) {
        log.outputStartTime(System.currentTimeMillis());
        log.outputLegend();
      }
      long end = start.nanoTime() + TimeUnit.MILLISECONDS.toNanos(spec.measureMillis());
      long intervalStart = System.currentTimeMillis();
      while (true) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(left, LOG_INTERVAL_NANOS));
        intervalStart = collect(total, log, intervalStart);
      }
      ProcessMeters.Snapshot finish = meters.snapshot();
      collect(total, log, intervalStart);
      LoadOutcome.Schedule schedule = closeWindow();
      long failed = errorsInWindow() - errorsBefore;
      window.closed();
      return new LoadOutcome(total, failed, firstError.get(), finish.since(start), warmupMillis, settled, schedule);
    } finally {
      stopLoad();
    }
  }

  /**
   * Warms up: a fixed time without a step, else until {@link SteadyState} says the throughput sampled every step has
   * settled and the least warm-up has passed, or the cap is reached. Returns 1 (settled), 0 (capped) or -1 (fixed).
   */
  private int warmUp() throws InterruptedException {
    long step = spec.stepMillis();
    if (step <= 0) {
      Thread.sleep(spec.warmupMillis()); // a timed phase of load, not a wait for a condition
      return -1;
    }
    SteadyState steady = new SteadyState();
    Histogram dropped = new Histogram(3);
    long begin = System.nanoTime();
    long lastTime = begin;
    long lastCount = completions();
    while (true) {
      Thread.sleep(step);
      long now = System.nanoTime();
      long count = completions();
      boolean settled = steady.add((count - lastCount) * 1e9 / Math.max(1, now - lastTime));
      dropped.add(warmupIntervalHistogram()); // read as the window reads, so that its code is compiled before it opens
      lastTime = now;
      lastCount = count;
      long elapsed = TimeUnit.NANOSECONDS.toMillis(now - begin);
      if (settled && elapsed >= spec.warmupMillis()) {
        return 1;
      }
      if (elapsed >= spec.warmupCapMillis()) {
        return 0;
      }
    }
  }

  private long collect(Histogram total, HistogramLogWriter log, long intervalStart) {
    Histogram interval = intervalHistogram();
    long now = System.currentTimeMillis();
    total.add(interval);
    if (log != null) {
      interval.setStartTimeStamp(intervalStart);
      interval.setEndTimeStamp(now);
      log.outputIntervalHistogram(interval);
    }
    return now;
  }

  /** Starts the load at {@code startNanos}. */
  protected abstract void startLoad(long startNanos);

  /**
   * The warm-up's latencies since the last call, read every step of a steady-state warm-up and dropped; by default
   * {@link #intervalHistogram}, whose recorder {@link #openWindow} resets.
   */
  protected Histogram warmupIntervalHistogram() {
    return intervalHistogram();
  }

  /** Calls completed so far (the warm-up's steady-state check samples it). */
  protected abstract long completions();

  /** The window opens: what is recorded from now on is measured. */
  protected abstract void openWindow();

  /** The latencies recorded since the last call (or since the window opened); resets them. */
  protected abstract Histogram intervalHistogram();

  /** Failed calls counted so far, for the window's difference. */
  protected abstract long errorsInWindow();

  /** The window closed; the open loop returns how its schedule went, the closed loop null. */
  protected abstract LoadOutcome.Schedule closeWindow();

  /** Stops the load and waits (with a deadline) for calls still running. */
  protected abstract void stopLoad() throws InterruptedException;

  /** Keeps the first failure's description for the report. */
  protected final void noteFailure(Throwable e) {
    if (firstError.get() == null) {
      firstError.compareAndSet(null, e.getClass().getName() + ": " + e.getMessage());
    }
  }
}
