package io.courier.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancelListenersTest {

  @Test
  void listenersRunOnceInOrderWhenCancelled() {
    CancelListeners listeners = new CancelListeners();
    List<String> ran = new ArrayList<>();
    listeners.add(() -> ran.add("a"));
    listeners.add(() -> ran.add("b"));
    listeners.add(() -> ran.add("c"));
    assertThat(ran).isEmpty();
    assertThat(listeners.cancel()).isTrue();
    assertThat(listeners.cancel()).as("second cancel").isFalse();
    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(listeners.isCancelled()).isTrue();
  }

  @Test
  void aListenerAddedAfterCancellationRunsAtOnce() {
    CancelListeners listeners = new CancelListeners();
    listeners.cancel();
    AtomicInteger ran = new AtomicInteger();
    listeners.add(ran::incrementAndGet);
    assertThat(ran).hasValue(1);
    listeners.cancel();
    assertThat(ran).hasValue(1);
  }

  @Test
  void withoutCancellationNothingRuns() {
    CancelListeners listeners = new CancelListeners();
    AtomicInteger ran = new AtomicInteger();
    listeners.add(ran::incrementAndGet);
    assertThat(listeners.isCancelled()).isFalse();
    assertThat(ran).hasValue(0);
  }

  @Test
  void everyListenerRunsExactlyOnceWhenAddsRaceTheCancel() throws Exception {
    for (int round = 0; round < 200; round++) {
      CancelListeners listeners = new CancelListeners();
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      Thread adder = new Thread(() -> {
        awaitQuietly(start);
        for (int i = 0; i < 100; i++) {
          listeners.add(ran::incrementAndGet);
        }
      });
      adder.start();
      start.countDown();
      listeners.cancel();
      adder.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(adder.isAlive()).isFalse();
      assertThat(ran).as("round %d", round).hasValue(100);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
