package io.courier.internal.common;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The server's worker pool, and the client's default callback pool (unbounded there): up to {@code maxThreads} threads
 * and {@code queueCapacity} waiting tasks, like a fixed {@code ThreadPoolExecutor} over a bounded queue (a task beyond
 * both is rejected at once), but it wakes as few threads as it can. {@code ThreadPoolExecutor} signals a sleeping
 * worker for every task, so a burst of requests read in one I/O turn wakes as many threads, each a futex call and a
 * context switch; here a task wakes a worker only when no worker is already awake and looking for work. A worker that
 * takes a task while others wait in the queue and no other worker is looking wakes one more before it runs its task, so
 * a task that blocks never holds up the ones behind it for longer than that hand-over (as in {@code ForkJoinPool}).
 * Idle workers are reused last-in first-out, so a few warm threads do the work and the rest sleep until their
 * keep-alive ends.
 *
 * <p>Invariant: {@code searching} counts workers that are awake and will look at the queue before they sleep,
 * including a worker woken but not yet running; {@code accepted} counts tasks queued or running.
 */
public final class WorkerPool implements Executor {

  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int STOP = 2;

  private final int maxThreads;
  private final int limit;
  private final long keepAliveNanos;
  private final ThreadFactory threadFactory;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger searching = new AtomicInteger();
  private final ArrayDeque<Worker> idle = new ArrayDeque<>(); // guarded by this; most recently idle first
  private final Set<Worker> workers = new HashSet<>(); // guarded by this
  private volatile int state = RUNNING;

  /**
   * @param maxThreads most threads, started as needed
   * @param queueCapacity most tasks waiting while every thread is busy; 0 accepts a task only if a thread can take it
   * @param keepAlive how long an idle thread waits for work before it ends
   */
  public WorkerPool(int maxThreads, int queueCapacity, long keepAlive, TimeUnit unit, ThreadFactory threadFactory) {
    if (maxThreads < 1) {
      throw new IllegalArgumentException("maxThreads: " + maxThreads + " (expected: >= 1)");
    }
    if (queueCapacity < 0) {
      throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: >= 0)");
    }
    this.maxThreads = maxThreads;
    this.limit = (int) Math.min(Integer.MAX_VALUE, (long) maxThreads + queueCapacity);
    this.keepAliveNanos = unit.toNanos(keepAlive);
    this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
  }

  /**
   * Runs {@code task} on a worker.
   *
   * @throws RejectedExecutionException if every thread is busy and the queue is full, or the pool is shut down
   */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (state != RUNNING) {
      throw new RejectedExecutionException("the worker pool is shut down");
    }
    if (accepted.incrementAndGet() > limit) {
      accepted.decrementAndGet();
      throw new RejectedExecutionException("every worker is busy and the queue is full");
    }
    queue.offer(task);
    if (searching.get() == 0) {
      signalWork();
    }
  }

  /**
   * Runs {@code task} on a worker even when every thread is busy and the queue is full: for the next step of work
   * already admitted, which must be neither refused nor run on the I/O thread that submits it — the callbacks of an
   * open stream ({@link SerialExecutor} queues at most one such task per stream, so the transports' bounds on open
   * streams bound these too). While they hold the queue over its capacity, {@link #execute} refuses new work.
   *
   * @throws RejectedExecutionException only if the pool is shut down
   */
  public void executeAdmitted(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (state != RUNNING) {
      throw new RejectedExecutionException("the worker pool is shut down");
    }
    accepted.incrementAndGet();
    queue.offer(task);
    if (searching.get() == 0) {
      signalWork();
    }
  }

  /** Wakes an idle worker, or starts one if there is room; the woken worker counts as searching from here on. */
  private void signalWork() {
    Worker woken;
    Worker started = null;
    synchronized (this) {
      if (state == STOP) {
        return;
      }
      woken = idle.pollFirst();
      if (woken != null) {
        woken.signalled = true;
      } else if (workers.size() < maxThreads) {
        started = new Worker();
        Thread thread = threadFactory.newThread(started);
        if (thread == null) {
          return;
        }
        started.thread = thread;
        workers.add(started);
      } else {
        return; // every thread is busy; each takes the next queued task when it finishes its own
      }
      searching.incrementAndGet();
    }
    if (woken != null) {
      LockSupport.unpark(woken.thread);
      return;
    }
    try {
      started.thread.start();
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        workers.remove(started);
      }
      searching.decrementAndGet();
      throw e;
    }
  }

  /** Accepts no more tasks; queued tasks still run, then the threads end. */
  public void shutdown() {
    stop(SHUTDOWN);
  }

  /** Accepts no more tasks, drops the queued ones and interrupts the running ones. */
  public void shutdownNow() {
    stop(STOP);
    Runnable dropped;
    while ((dropped = queue.poll()) != null) {
      accepted.decrementAndGet();
    }
    synchronized (this) {
      for (Worker w : workers) {
        w.thread.interrupt();
      }
    }
  }

  private void stop(int newState) {
    Worker[] toWake;
    synchronized (this) {
      if (state >= newState) {
        return;
      }
      state = newState;
      toWake = idle.toArray(new Worker[0]);
      idle.clear();
      for (Worker w : toWake) {
        w.signalled = true;
        searching.incrementAndGet();
      }
    }
    for (Worker w : toWake) {
      LockSupport.unpark(w.thread);
    }
  }

  /** Whether {@link #shutdown} or {@link #shutdownNow} was called. */
  public boolean isShutdown() {
    return state != RUNNING;
  }

  /** Live threads, for tests and metrics. */
  public synchronized int threadCount() {
    return workers.size();
  }

  /** Tasks queued or running. */
  public int activeAndQueued() {
    return accepted.get();
  }

  private final class Worker implements Runnable {
    Thread thread;
    volatile boolean signalled;

    @Override
    public void run() {
      try {
        loop();
      } finally {
        synchronized (WorkerPool.this) {
          workers.remove(this);
          idle.remove(this);
        }
      }
    }

    /** Searching on entry (whoever started or woke this worker counted it). */
    private void loop() {
      for (;;) {
        Runnable task = queue.poll();
        if (task != null) {
          if (searching.decrementAndGet() == 0 && !queue.isEmpty()) {
            handOver(); // others wait and nobody looks: hand them over before this task can block
          }
          runTask(task);
          searching.incrementAndGet();
          continue;
        }
        if (state != RUNNING) {
          if (searching.decrementAndGet() == 0 && !queue.isEmpty()) {
            // a task queued as the pool shut down, by an execute that saw this worker searching and woke nobody
            searching.incrementAndGet();
            continue;
          }
          return;
        }
        if (!park()) {
          return;
        }
      }
    }

    /**
     * Wakes or starts a worker for the tasks queued behind the one this worker took. If no thread can be started,
     * this worker still runs its task and then the queue, as it would have with no hand-over.
     */
    private void handOver() {
      try {
        signalWork();
      } catch (RuntimeException | Error e) {
        // for example "unable to create native thread": nothing is lost, only the queue waits for this worker
      }
    }

    /** Sleeps until signalled (searching again, true) or the keep-alive ends (not searching, false). */
    private boolean park() {
      synchronized (WorkerPool.this) {
        if (state != RUNNING) {
          return true; // searching still counted; the loop sees the state and ends
        }
        signalled = false;
        idle.addFirst(this);
      }
      searching.decrementAndGet();
      if (!queue.isEmpty()) {
        signalWork(); // a task came in before this worker was listed as idle: wake someone, possibly this one
      }
      long deadline = System.nanoTime() + keepAliveNanos;
      while (!signalled) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          synchronized (WorkerPool.this) {
            if (!signalled) {
              idle.remove(this);
              return false;
            }
          }
          break;
        }
        LockSupport.parkNanos(WorkerPool.this, left);
      }
      return true;
    }

    private void runTask(Runnable task) {
      if (state != STOP) {
        Thread.interrupted(); // a stale interrupt must not reach the next task
      }
      try {
        task.run();
      } catch (Throwable t) {
        Thread current = Thread.currentThread();
        current.getUncaughtExceptionHandler().uncaughtException(current, t);
      } finally {
        accepted.decrementAndGet();
      }
    }
  }
}
