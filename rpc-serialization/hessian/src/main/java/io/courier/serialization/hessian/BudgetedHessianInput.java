package io.courier.serialization.hessian;

import com.alibaba.com.caucho.hessian.io.Hessian2Input;
import io.courier.serialization.ReadBudget;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code Hessian2Input} that charges every value it reads to a {@link ReadBudget}, and every back-reference
 * ({@code Q n}) as the whole tree the referenced value stands for, so that a value's cost to traverse, not only
 * its size on the wire, is bounded by its bytes.
 *
 * <p>How a back-reference is sized: hessian numbers each list, map and object as it reads it ({@code addRef}).
 * This input remembers, for each number, the budget used when the {@code readObject} call that registered it began,
 * and, when that call returns, the budget used by then: the difference is the size of the value's tree, references
 * inside it counted at their own sizes (for an array of primitives, at least its length). A reference to a value
 * still being read (a cycle) counts one. A chain of lists that each hold their child twice therefore costs 2, 4,
 * 8, ... at each level, and is refused as soon as the tree outgrows the budget, before anything (a
 * {@code HashSet}'s {@code hashCode}) walks it.
 *
 * <p>Invariant: every value is read through {@link #readObject(Class, Class[])} or {@link #readObject(List)}, the
 * two methods every other {@code readObject} of hessian's ends in. A list, map or object registered in a call that
 * reads more than it (a deserializer reading its elements without going through {@code readObject}, which
 * {@link CheckedCollectionDeserializer} and {@link CheckedMapDeserializer} never do) is sized as all that call read:
 * too much, never too little. Used by one thread at a time.
 */
final class BudgetedHessianInput extends Hessian2Input {

  private static final Class<?>[] NO_TYPES = {};

  final ReadBudget budget = new ReadBudget("hessian");
  private final References references = new References(budget);

  BudgetedHessianInput(InputStream is) {
    super(is);
    _refs = references;
  }

  /** Starts a read of a value of {@code payloadBytes} bytes (call {@link #init} first). */
  void start(int payloadBytes) {
    discardBufferedBytes();
    budget.reset(payloadBytes);
    references.clear();
  }

  /**
   * Drops what an earlier read left in hessian's read-ahead buffer: hessian-lite 4's {@code init} keeps it (3's did
   * not), so bytes after the point where a failed read stopped would be read as the start of the next value.
   * {@code resetBuffer} empties the buffer, then throws if it was not empty; that is the case being handled here.
   */
  private void discardBufferedBytes() {
    try {
      resetBuffer();
    } catch (IllegalStateException leftOverFromAFailedRead) {
      // already dropped: resetBuffer empties the buffer before it throws
    }
  }

  /** Whether the value read so far used a back-reference, so that it may be a graph rather than a tree. */
  boolean readBackReferences() {
    return references.resolved > 0;
  }

  /** As hessian's, without the array of two nulls it allocates for every value read as a declared class. */
  @Override
  public Object readObject(Class cl) throws IOException {
    return readObject(cl, NO_TYPES);
  }

  @Override
  public Object readObject(Class cl, Class<?>... expectedTypes) throws IOException {
    int first = references.enter();
    Object value = super.readObject(cl, expectedTypes);
    budget.charge(1);
    references.exit(first);
    return value;
  }

  @Override
  public Object readObject(List<Class<?>> expectedTypes) throws IOException {
    int first = references.enter();
    Object value = super.readObject(expectedTypes);
    budget.charge(1);
    references.exit(first);
    return value;
  }

  /**
   * Hessian's reference table ({@code _refs}), which also knows the size of each referenced value's tree.
   * {@code Hessian2Input} adds to it in {@code addRef}, and calls {@link #get} only to resolve a back-reference.
   * Invariants: {@code frames} holds the budget used when each {@code readObject} call in progress began, innermost
   * last; {@code open} holds, in increasing order, the numbers whose size is not known yet.
   */
  private static final class References extends ArrayList<Object> {
    private static final long serialVersionUID = 1L;
    private final transient ReadBudget budget;
    private long[] frames = new long[16];
    private int frameCount;
    private long[] started = new long[16];
    private long[] sizes = new long[16];
    private int[] open = new int[16];
    private int openCount;
    int resolved;

    References(ReadBudget budget) {
      this.budget = budget;
    }

    /** A {@code readObject} call begins; returns the first number a value it reads would get. */
    int enter() {
      if (frameCount == frames.length) {
        frames = Arrays.copyOf(frames, frameCount * 2);
      }
      frames[frameCount++] = budget.used();
      return size();
    }

    /** The call that {@link #enter} returned {@code first} for returns: sizes what it registered. */
    void exit(int first) {
      frameCount--;
      long used = budget.used();
      while (openCount > 0 && open[openCount - 1] >= first) {
        int number = open[--openCount];
        sizes[number] = used - started[number];
      }
    }

    @Override
    public boolean add(Object value) {
      int number = size();
      if (number == started.length) {
        started = Arrays.copyOf(started, number * 2);
        sizes = Arrays.copyOf(sizes, number * 2);
      }
      if (openCount == open.length) {
        open = Arrays.copyOf(open, openCount * 2);
      }
      started[number] = frameCount > 0 ? frames[frameCount - 1] : budget.used();
      sizes[number] = -1;
      open[openCount++] = number;
      return super.add(value);
    }

    /** A back-reference: charges the referenced tree (one for a value still being read) and returns the value. */
    @Override
    public Object get(int number) {
      Object value = super.get(number); // fails for a number that does not exist
      long size = Math.max(1, sizes[number]);
      if (value != null && value.getClass().isArray()) {
        size = Math.max(size, Array.getLength(value)); // primitive elements are not values of their own
      }
      resolved++;
      budget.charge(size);
      return value;
    }

    @Override
    public void clear() {
      super.clear();
      frameCount = 0;
      openCount = 0;
      resolved = 0;
    }
  }
}
