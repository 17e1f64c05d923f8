package io.courier.serialization;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.UUID;

/**
 * The work a {@link Serializer} may do to read one payload, in proportion to its size, so that a small hostile
 * payload cannot cost a server more than a large honest one. Two limits; crossing either is a
 * {@link SerializationException} that names it (a server answers {@code INVALID_ARGUMENT}).
 *
 * <ol>
 *   <li><b>The value budget.</b> A read builds at most {@value #VALUES_PER_BYTE} values per byte of payload, and
 *       never fewer than {@value #MIN_VALUES} for a small one: every object, every element of a collection, map or
 *       array, and, in formats with shared references (hessian), the whole tree a back-reference stands for,
 *       counted as if it were a copy. That last rule is what bounds a chain of lists that each hold their child
 *       twice: its bytes grow by a few per level and its tree doubles, and every traversal of it (the
 *       {@code hashCode} a {@code HashSet} takes, {@code equals}, {@code toString}, writing it out again without
 *       references) costs the tree. Readers {@link #charge} as they go, so such input is refused as soon as the
 *       tree it stands for outgrows the budget, before anything traverses it.
 *   <li><b>The hash-collision limit.</b> Before a hashed collection ({@code HashSet}, {@code HashMap}, their linked
 *       and concurrent variants) is built from the wire, {@link #checkHashCodes} sees its elements (a map's keys)
 *       and refuses more than {@value #MAX_EQUAL_HASH_CODES} with one hash code. {@code HashMap} keeps keys of
 *       one hash code in a tree ordered by {@code compareTo}; keys that cannot be ordered that way (lists, records,
 *       most model classes, or a mix of classes) must each be compared with all the others, so n of them cost
 *       n&sup2;/2 {@code equals} calls to insert: 20,000 two-element lists of one hash code are 171 KB of kryo
 *       and seconds of CPU. With the limit, each insertion compares at most {@value #MAX_EQUAL_HASH_CODES}
 *       elements, and reading stays linear in the bytes. Elements that are all of one class that the tree orders
 *       ({@code String}, the boxed primitives, {@code BigInteger}, {@code UUID}) are not checked: for them a
 *       collision costs a logarithmic tree search, not a scan.
 * </ol>
 *
 * <p>Why a cap on equal hash codes rather than refusing hashed collections of non-{@code Comparable} elements:
 * {@code Set<User>} and {@code Map<SomeRecord, V>} are legitimate, and real data almost never holds more than a
 * handful of elements with one 32-bit hash code, while the cap leaves a hostile payload nothing to gain. Nesting
 * depth is limited separately by each format (256 levels).
 *
 * <p>Serializer implementations keep one instance per pooled reader:
 *
 * <pre>{@code
 * budget.reset(in.readableBytes());   // at the start of each read
 * budget.charge(1);                   // for each object built
 * budget.checkHashCodes(keys, count); // before filling a HashMap with them
 * }</pre>
 *
 * <p>Not thread-safe: one read at a time.
 */
public final class ReadBudget {

  /** The values a read may build per byte of payload. */
  public static final int VALUES_PER_BYTE = 4;

  /** The values any read may build, however small its payload. */
  public static final int MIN_VALUES = 8192;

  /** The most elements of one hashed collection (keys of one map) that may share a hash code. */
  public static final int MAX_EQUAL_HASH_CODES = 32;

  private final String format;
  private long limit;
  private long used;
  private int payloadBytes;

  /** A budget whose refusals name {@code format}, the serializer's name; call {@link #reset} before each read. */
  public ReadBudget(String format) {
    this.format = format;
    reset(0);
  }

  /** Starts a read of {@code payloadBytes} bytes: nothing used, the limit in proportion to them. */
  public void reset(int payloadBytes) {
    this.payloadBytes = Math.max(0, payloadBytes);
    this.limit = Math.max(MIN_VALUES, (long) VALUES_PER_BYTE * this.payloadBytes);
    this.used = 0;
  }

  /**
   * Counts {@code values} more values built.
   *
   * @throws SerializationException if that takes the read past its budget
   */
  public void charge(long values) {
    if (values < 0 || (used += values) > limit) {
      refuse(values);
    }
  }

  private void refuse(long values) {
    if (values < 0) {
      throw new IllegalArgumentException("values: " + values + " (expected: >= 0)");
    }
    throw new SerializationException(format + " input exceeds its read budget: it builds more than " + limit
        + " values (objects, elements, and the trees shared references stand for) from " + payloadBytes
        + " bytes; the budget is ReadBudget.VALUES_PER_BYTE (" + VALUES_PER_BYTE + ") per byte, at least "
        + MIN_VALUES);
  }

  /** The values charged since the last {@link #reset}. */
  public long used() {
    return used;
  }

  /** The most values this read may build. */
  public long limit() {
    return limit;
  }

  /**
   * Checks the first {@code count} of {@code elements} (a hashed collection's elements, or a map's keys, in any
   * order) before the collection is built from them.
   *
   * @throws SerializationException if more than {@link #MAX_EQUAL_HASH_CODES} of them share a hash code, unless
   *     they are all of one class whose instances a {@code HashMap} orders by {@code compareTo}
   */
  public void checkHashCodes(Object[] elements, int count) {
    if (count <= MAX_EQUAL_HASH_CODES || ofOneOrderedClass(elements, count)) {
      return;
    }
    int[] hashes = new int[count];
    for (int i = 0; i < count; i++) {
      hashes[i] = elements[i] == null ? 0 : elements[i].hashCode();
    }
    Arrays.sort(hashes);
    int run = 1;
    for (int i = 1; i < count; i++) {
      run = hashes[i] == hashes[i - 1] ? run + 1 : 1;
      if (run > MAX_EQUAL_HASH_CODES) {
        throw new SerializationException(format + " input exceeds the hash-collision limit: more than "
            + MAX_EQUAL_HASH_CODES + " elements of one hashed collection (or keys of one map) have the hash code "
            + hashes[i] + ", which would make building it take quadratic time; the limit is"
            + " ReadBudget.MAX_EQUAL_HASH_CODES (" + MAX_EQUAL_HASH_CODES + ")");
      }
    }
  }

  /** Whether the non-null elements are all of one class that HashMap's tree bins order (null is one key at most). */
  private static boolean ofOneOrderedClass(Object[] elements, int count) {
    Class<?> first = null;
    for (int i = 0; i < count; i++) {
      Object element = elements[i];
      if (element == null) {
        continue;
      }
      if (first == null) {
        first = element.getClass();
        if (!isOrderedInTreeBins(first)) {
          return false;
        }
      } else if (element.getClass() != first) {
        return false;
      }
    }
    return true;
  }

  /**
   * Final JDK classes that implement {@code Comparable} of themselves, with a {@code compareTo} consistent with
   * {@code equals}: HashMap's tree bins search them in logarithmic time, however their hash codes collide.
   * ({@code BigDecimal} is not one: {@code 2.0} and {@code 2.00} compare equal but are not.)
   */
  static boolean isOrderedInTreeBins(Class<?> type) {
    return type == String.class || type == Integer.class || type == Long.class || type == Short.class
        || type == Byte.class || type == Character.class || type == Boolean.class || type == Double.class
        || type == Float.class || type == BigInteger.class || type == UUID.class;
  }

  @Override
  public String toString() {
    return "ReadBudget{" + format + ", " + used + " of " + limit + " values}";
  }
}
