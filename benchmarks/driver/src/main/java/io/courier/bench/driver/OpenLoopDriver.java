package io.courier.bench.driver;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Open loop: call {@code i} is due at {@code start + i / rate}, whatever happened to earlier calls. The
 * {@code concurrency} threads take the next due call in turn, wait for its time, make it, and record its
 * latency from the <em>intended</em> start, not from when a thread got round to it. A system that falls behind
 * therefore shows its queueing delay in the percentiles instead of hiding it (no coordinated omission). The
 * thread count bounds the calls in flight; it must exceed rate × latency for the schedule to be kept.
 */
public final class OpenLoopDriver extends LoadDriver {

  private final AtomicLong next = new AtomicLong();
  private final double periodNanos;
  private long startNanos;

  public OpenLoopDriver(Operation operation, CellSpec spec, ProcessMeters meters) {
    super(operation, spec, meters);
    this.periodNanos = 1e9 / spec.rate();
  }

  @Override
  protected void beforeStart(long loadStartNanos) {
    this.startNanos = loadStartNanos;
  }

  @Override
  protected void runThread(int index, SingleWriterRecorder recorder) {
    while (running()) {
      long i = next.getAndIncrement();
      long intended = startNanos + (long) (i * periodNanos);
      long now;
      while ((now = System.nanoTime()) < intended) {
        if (!running()) {
          return;
        }
        LockSupport.parkNanos(intended - now);
      }
      try {
        operation.call(i);
        recorder.recordValue(System.nanoTime() - intended);
      } catch (Throwable e) {
        failed(e);
      }
    }
  }
}
