package io.courier.serialization.kryo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ContextPoolTest {

  @Test
  void reusesWhatWasFreedAndMakesMoreWhenEmpty() {
    AtomicInteger made = new AtomicInteger();
    ContextPool<Object> pool = new ContextPool<>(4, () -> new Object[] {made.incrementAndGet()});
    Object a = pool.obtain();
    Object b = pool.obtain();
    assertThat(a).isNotSameAs(b);
    pool.free(a);
    assertThat(pool.obtain()).isSameAs(a);
    assertThat(made.get()).isEqualTo(2);
  }

  @Test
  void dropsWhatDoesNotFitWhenFull() {
    ContextPool<Object> pool = new ContextPool<>(2, Object::new);
    List<Object> taken = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      taken.add(pool.obtain());
    }
    taken.forEach(pool::free); // two fit, three are dropped
    Set<Object> again = Set.of(pool.obtain(), pool.obtain());
    assertThat(taken).containsAll(again);
    assertThat(taken).doesNotContain(pool.obtain());
  }

  @Test
  void neverHandsOneContextToTwoThreadsAtOnce() throws Exception {
    ContextPool<Object> pool = new ContextPool<>(8, Object::new);
    Set<Object> inUse = ConcurrentHashMap.newKeySet();
    AtomicInteger clashes = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          Object c = pool.obtain();
          if (!inUse.add(c)) {
            clashes.incrementAndGet();
          }
          inUse.remove(c);
          pool.free(c);
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    assertThat(clashes.get()).isZero();
  }
}
