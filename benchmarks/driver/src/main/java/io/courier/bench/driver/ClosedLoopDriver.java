package io.courier.bench.driver;

import org.HdrHistogram.SingleWriterRecorder;

/**
 * Closed loop: {@code concurrency} threads each call again as soon as the previous call returned. Measures
 * throughput, and latency from the start of each call.
 */
public final class ClosedLoopDriver extends LoadDriver {

  public ClosedLoopDriver(Operation operation, CellSpec spec, ProcessMeters meters) {
    super(operation, spec, meters);
  }

  @Override
  protected void runThread(int index, SingleWriterRecorder recorder) {
    long sequence = (long) index << 40;
    while (running()) {
      long start = System.nanoTime();
      try {
        operation.call(sequence++);
        recorder.recordValue(System.nanoTime() - start);
      } catch (Throwable e) {
        failed(e);
      }
    }
  }
}
