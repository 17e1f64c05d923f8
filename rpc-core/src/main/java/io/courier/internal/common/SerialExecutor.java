package io.courier.internal.common;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor (or on the submitting thread when the
 * delegate is {@code null}). The callbacks of one stream run through one of these, so an observer never sees
 * two calls at once. Invariant: at most one drain task is scheduled or running.
 *
 * <p>The stream was admitted when its call was, so a {@link WorkerPool} delegate takes its drain even when its queue
 * is full ({@link WorkerPool#executeAdmitted}): a full pool neither loses a callback nor moves it to the I/O thread
 * that delivers the stream's messages. Only a delegate that is shut down, or another executor that refuses, has the
 * drain run on the submitting thread, rather than never.
 */
public final class SerialExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();

  /** {@code delegate} null runs tasks on the thread that submits them (still one at a time, in order). */
  public SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    if (delegate == null) {
      drain();
      return;
    }
    try {
      if (delegate instanceof WorkerPool pool) {
        pool.executeAdmitted(this::drain);
      } else {
        delegate.execute(this::drain);
      }
    } catch (RuntimeException rejected) { // shut down (or an application's executor that refuses): here, not never
      drain();
    }
  }

  private void drain() {
    try {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.warn("a stream callback threw; continuing with the next one", e);
        }
      }
    } finally {
      running.set(false);
    }
    if (!tasks.isEmpty()) {
      schedule();
    }
  }
}
