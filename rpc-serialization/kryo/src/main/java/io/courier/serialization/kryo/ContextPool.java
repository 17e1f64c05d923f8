package io.courier.serialization.kryo;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A lock-free pool of Kryo contexts in a fixed array of slots: {@link #obtain} takes any pooled context (or makes a
 * new one), {@link #free} puts it back in an empty slot (or drops it when the pool is full). Unlike a queue-based
 * pool it allocates nothing per use; each thread starts its search at a slot of its own, so threads rarely contend.
 * Invariant: a context is in at most one slot, and never in a slot while a thread uses it.
 */
final class ContextPool<T> {

  private final AtomicReferenceArray<T> slots;
  private final int mask;
  private final Supplier<T> factory;

  /** {@code size} is rounded up to a power of two. */
  ContextPool(int size, Supplier<T> factory) {
    int n = Integer.highestOneBit(Math.max(1, size - 1)) << 1;
    this.slots = new AtomicReferenceArray<>(n);
    this.mask = n - 1;
    this.factory = factory;
  }

  T obtain() {
    int start = home();
    for (int i = 0; i <= mask; i++) {
      int slot = (start + i) & mask;
      T t = slots.get(slot);
      if (t != null && slots.compareAndSet(slot, t, null)) {
        return t;
      }
    }
    return factory.get();
  }

  void free(T t) {
    int start = home();
    for (int i = 0; i <= mask; i++) {
      int slot = (start + i) & mask;
      if (slots.get(slot) == null && slots.compareAndSet(slot, null, t)) {
        return;
      }
    }
    // full: let it go
  }

  private int home() {
    long id = Thread.currentThread().getId();
    return (int) (id ^ (id >>> 16)) * 0x9E3779B9 & mask;
  }
}
