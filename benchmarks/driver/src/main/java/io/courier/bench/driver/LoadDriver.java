package io.courier.bench.driver;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Runs one {@link CellSpec}: starts its load threads, lets them warm up, measures a window, stops them. The
 * threads stay alive from warm-up to the end of the window, so that their allocation is counted, and each
 * records into its own {@link SingleWriterRecorder}, so that recording is wait-free. Subclasses say what one
 * thread does.
 */
public abstract class LoadDriver {

  /** How long stopping waits for threads still inside a call (each call has its own timeout too). */
  private static final long JOIN_DEADLINE_MILLIS = 30_000;
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  protected final Operation operation;
  protected final CellSpec spec;
  private final ProcessMeters meters;
  private final LongAdder errors = new LongAdder();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile boolean running = true;

  protected LoadDriver(Operation operation, CellSpec spec, ProcessMeters meters) {
    this.operation = operation;
    this.spec = spec;
    this.meters = meters;
  }

  /** The driver {@code spec} asks for. */
  public static LoadDriver of(Operation operation, CellSpec spec, ProcessMeters meters) {
    return spec.mode() == CellSpec.Mode.CLOSED ? new ClosedLoopDriver(operation, spec, meters)
        : new OpenLoopDriver(operation, spec, meters);
  }

  /**
   * Runs the cell.
   *
   * @param window told when the measured window opens and closes
   * @param log where each second of the window goes as an interval histogram; may be null
   */
  public final LoadOutcome run(MeasurementWindow window, HistogramLogWriter log) throws InterruptedException {
    int n = spec.concurrency();
    SingleWriterRecorder[] recorders = new SingleWriterRecorder[n];
    Thread[] threads = new Thread[n];
    long loadStart = System.nanoTime();
    beforeStart(loadStart);
    for (int i = 0; i < n; i++) {
      SingleWriterRecorder recorder = new SingleWriterRecorder(3);
      recorders[i] = recorder;
      int index = i;
      threads[i] = new Thread(() -> runThread(index, recorder), "bench-load-" + i);
      threads[i].setDaemon(true);
      threads[i].start();
    }
    try {
      Thread.sleep(spec.warmupMillis()); // the warm-up is a timed phase of load, not a wait for a condition
      window.opening();
      for (SingleWriterRecorder r : recorders) {
        r.reset();
      }
      long errorsBefore = errors.sum();
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
        intervalStart = collect(recorders, total, log, intervalStart);
      }
      ProcessMeters.Snapshot finish = meters.snapshot();
      collect(recorders, total, log, intervalStart);
      long failed = errors.sum() - errorsBefore;
      window.closed();
      return new LoadOutcome(total, failed, firstError.get(), finish.since(start));
    } finally {
      running = false;
      long deadline = System.currentTimeMillis() + JOIN_DEADLINE_MILLIS;
      for (Thread t : threads) {
        t.join(Math.max(1, deadline - System.currentTimeMillis()));
      }
    }
  }

  private static long collect(SingleWriterRecorder[] recorders, Histogram total, HistogramLogWriter log,
      long intervalStart) {
    Histogram interval = new Histogram(3);
    for (SingleWriterRecorder r : recorders) {
      interval.add(r.getIntervalHistogram());
    }
    long now = System.currentTimeMillis();
    total.add(interval);
    if (log != null) {
      interval.setStartTimeStamp(intervalStart);
      interval.setEndTimeStamp(now);
      log.outputIntervalHistogram(interval);
    }
    return now;
  }

  /** Called once, before the threads start, with the instant the load starts. */
  protected void beforeStart(long loadStartNanos) {}

  /** The body of load thread {@code index}; returns when {@link #running()} turns false. */
  protected abstract void runThread(int index, SingleWriterRecorder recorder);

  protected final boolean running() {
    return running;
  }

  /** Counts a failed call; the first failure's description is kept for the report. */
  protected final void failed(Throwable e) {
    errors.increment();
    if (firstError.get() == null) {
      firstError.compareAndSet(null, e.getClass().getName() + ": " + e.getMessage());
    }
  }
}
