package io.courier.bench.driver;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Closed loop: {@code concurrency} threads each call again as soon as the previous call returned. Measures
 * throughput, and latency from the start of each call. Each thread records into its own
 * {@link SingleWriterRecorder}, so that recording is wait-free.
 */
public final class ClosedLoopDriver extends LoadDriver {

  /** How long stopping waits for threads still inside a call (each call has its own timeout too). */
  private static final long JOIN_DEADLINE_MILLIS = 30_000;

  private final SingleWriterRecorder[] recorders;
  private final Thread[] threads;
  private final LongAdder completed = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private volatile boolean running = true;

  public ClosedLoopDriver(Operation operation, CellSpec spec, ProcessMeters meters) {
    super(operation, spec, meters);
    this.recorders = new SingleWriterRecorder[spec.concurrency()];
    this.threads = new Thread[spec.concurrency()];
  }

  /**
   * Runs {@code operation} closed loop on {@code threads} threads for {@code millis}, recording no latency: the JVM
   * warm-up a client child gives every workload before its first measured cell. Returns the calls completed per
   * second.
   */
  public static double exercise(Operation operation, int threads, long millis) throws InterruptedException {
    ClosedLoopDriver d = new ClosedLoopDriver(operation, CellSpec.closed(Workload.EXIST_USER, threads, millis, 1),
        null);
    long start = System.nanoTime();
    d.startLoad(start);
    try {
      Thread.sleep(millis);
    } finally {
      d.stopLoad();
    }
    return d.completed.sum() * 1e9 / Math.max(1, System.nanoTime() - start);
  }

  @Override
  protected void startLoad(long startNanos) {
    for (int i = 0; i < threads.length; i++) {
      SingleWriterRecorder recorder = new SingleWriterRecorder(3);
      recorders[i] = recorder;
      int index = i;
      threads[i] = new Thread(() -> runThread(index, recorder), "bench-load-" + i);
      threads[i].setDaemon(true);
      threads[i].start();
    }
  }

  private void runThread(int index, SingleWriterRecorder recorder) {
    long sequence = (long) index << 40;
    while (running) {
      long start = System.nanoTime();
      try {
        operation.call(sequence++);
        recorder.recordValue(System.nanoTime() - start);
        completed.increment();
      } catch (Throwable e) {
        errors.increment();
        noteFailure(e);
      }
    }
  }

  @Override
  protected long completions() {
    return completed.sum();
  }

  @Override
  protected void openWindow() {
    for (SingleWriterRecorder r : recorders) {
      r.reset();
    }
  }

  @Override
  protected Histogram intervalHistogram() {
    Histogram interval = new Histogram(3);
    for (SingleWriterRecorder r : recorders) {
      interval.add(r.getIntervalHistogram());
    }
    return interval;
  }

  @Override
  protected long errorsInWindow() {
    return errors.sum();
  }

  @Override
  protected LoadOutcome.Schedule closeWindow() {
    return null;
  }

  @Override
  protected void stopLoad() throws InterruptedException {
    running = false;
    long deadline = System.currentTimeMillis() + JOIN_DEADLINE_MILLIS;
    for (Thread t : threads) {
      if (t != null) {
        t.join(Math.max(1, deadline - System.currentTimeMillis()));
      }
    }
  }
}
