package io.courier.internal.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

  private static final ThreadFactory DAEMONS = r -> {
    Thread t = new Thread(r, "worker-pool-test");
    t.setDaemon(true);
    return t;
  };

  private final List<WorkerPool> pools = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    pools.forEach(WorkerPool::shutdownNow);
  }

  private WorkerPool pool(int threads, int queue, long keepAliveMillis) {
    WorkerPool pool = new WorkerPool(threads, queue, keepAliveMillis, TimeUnit.MILLISECONDS, DAEMONS);
    pools.add(pool);
    return pool;
  }

  private Runnable blocker(CountDownLatch started) {
    return () -> {
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** A pool of one thread and no queue whose thread is blocked until {@link #release} opens. */
  private WorkerPool busyPoolOfOne() throws InterruptedException {
    WorkerPool pool = pool(1, 0, 60_000);
    CountDownLatch started = new CountDownLatch(1);
    pool.execute(blocker(started));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    return pool;
  }

  @Test
  void runsEveryTaskFromManySubmitters() throws Exception {
    WorkerPool pool = pool(8, 10_000, 60_000);
    int submitters = 4;
    int perSubmitter = 2_000;
    CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < submitters; s++) {
      Thread t = new Thread(() -> {
        for (int i = 0; i < perSubmitter; i++) {
          pool.execute(done::countDown);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    await(() -> pool.activeAndQueued() == 0);
  }

  @Test
  void aBlockedTaskDoesNotHoldUpTheOnesBehindIt() throws Exception {
    WorkerPool pool = pool(4, 100, 60_000);
    CountDownLatch blocked = new CountDownLatch(1);
    pool.execute(blocker(blocked));
    assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
    CountDownLatch ran = new CountDownLatch(10);
    for (int i = 0; i < 10; i++) {
      pool.execute(ran::countDown);
    }
    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void tasksQueuedBehindBlockedOnesAllGetThreads() throws Exception {
    WorkerPool pool = pool(3, 100, 60_000);
    CountDownLatch started = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      pool.execute(blocker(started)); // each must get its own thread, though they arrive in one burst
    }
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.threadCount()).isEqualTo(3);
  }

  @Test
  void rejectsWhenEveryThreadIsBusyAndTheQueueIsFull() throws Exception {
    WorkerPool pool = pool(2, 1, 60_000);
    CountDownLatch started = new CountDownLatch(2);
    pool.execute(blocker(started));
    pool.execute(blocker(started));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    AtomicInteger ran = new AtomicInteger();
    pool.execute(ran::incrementAndGet); // queued
    assertThatThrownBy(() -> pool.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
    release.countDown();
    await(() -> ran.get() == 1);
  }

  @Test
  void workAlreadyAdmittedIsQueuedBeyondAFullQueueAndNewWorkIsRefusedMeanwhile() throws Exception {
    WorkerPool pool = busyPoolOfOne();
    AtomicInteger ran = new AtomicInteger();
    pool.executeAdmitted(ran::incrementAndGet); // full, and taken
    assertThatThrownBy(() -> pool.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
    release.countDown();
    await(() -> ran.get() == 1 && pool.activeAndQueued() == 0);
    pool.execute(ran::incrementAndGet); // its place is free again once it ran
    await(() -> ran.get() == 2);
    pool.shutdown();
    assertThatThrownBy(() -> pool.executeAdmitted(() -> { })).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void aStreamsCallbacksWaitForAWorkerOfAFullPoolNeverRunningOnTheThreadThatDeliversThem() throws Exception {
    WorkerPool pool = busyPoolOfOne();
    SerialExecutor callbacks = new SerialExecutor(pool);
    List<String> ranOn = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 3; i++) { // as an I/O thread delivers a stream's messages while every worker is busy
      callbacks.execute(() -> ranOn.add(Thread.currentThread().getName()));
    }
    assertThat(ranOn).as("nothing ran on the submitting thread").isEmpty();
    release.countDown();
    await(() -> ranOn.size() == 3);
    assertThat(ranOn).containsOnly("worker-pool-test");
  }

  @Test
  void aQueueOfZeroAcceptsOnlyWhatAThreadCanTake() throws Exception {
    WorkerPool pool = busyPoolOfOne();
    assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void idleThreadsEndAfterTheKeepAlive() throws Exception {
    WorkerPool pool = pool(4, 100, 50);
    CountDownLatch started = new CountDownLatch(4);
    for (int i = 0; i < 4; i++) {
      pool.execute(blocker(started));
    }
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    await(() -> pool.threadCount() == 0);
    CountDownLatch again = new CountDownLatch(1);
    pool.execute(again::countDown); // and new ones start when work comes back
    assertThat(again.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shutdownRunsQueuedTasksThenRejects() throws Exception {
    WorkerPool pool = pool(1, 10, 60_000);
    CountDownLatch started = new CountDownLatch(1);
    pool.execute(blocker(started));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    CountDownLatch queued = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      pool.execute(queued::countDown);
    }
    pool.shutdown();
    assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    release.countDown();
    assertThat(queued.await(5, TimeUnit.SECONDS)).isTrue();
    await(() -> pool.threadCount() == 0);
  }

  @Test
  void everyTaskAcceptedWhileThePoolShutsDownStillRuns() throws Exception {
    for (int round = 0; round < 1_000; round++) {
      WorkerPool pool = new WorkerPool(4, 100, 60_000, TimeUnit.MILLISECONDS, DAEMONS);
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch go = new CountDownLatch(1);
      Thread submitter = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < 20; i++) {
            pool.execute(ran::incrementAndGet);
            accepted.incrementAndGet();
          }
        } catch (RejectedExecutionException | InterruptedException e) {
          // shut down before this one: the rest are refused, and refused tasks need not run
        }
      });
      submitter.start();
      go.countDown();
      pool.shutdown(); // races the submitter: a task it got accepted must run, never be stranded in the queue
      submitter.join();
      await(() -> ran.get() == accepted.get());
    }
  }

  @Test
  void shutdownNowInterruptsRunningTasksAndDropsQueuedOnes() throws Exception {
    WorkerPool pool = pool(1, 10, 60_000);
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    pool.execute(() -> {
      started.countDown();
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    AtomicInteger ran = new AtomicInteger();
    pool.execute(ran::incrementAndGet);
    pool.shutdownNow();
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    await(() -> pool.threadCount() == 0);
    assertThat(ran.get()).isZero();
  }

  @Test
  void aTaskThatThrowsDoesNotKillItsWorker() throws Exception {
    WorkerPool pool = pool(1, 10, 60_000);
    Thread.UncaughtExceptionHandler quiet = (t, e) -> { };
    CountDownLatch ran = new CountDownLatch(1);
    pool.execute(() -> {
      Thread.currentThread().setUncaughtExceptionHandler(quiet);
      throw new IllegalStateException("expected by the test");
    });
    pool.execute(ran::countDown);
    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.threadCount()).isEqualTo(1);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition within 10 s").isNegative();
      Thread.sleep(5);
    }
  }
}
