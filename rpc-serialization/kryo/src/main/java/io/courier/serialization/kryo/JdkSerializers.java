package io.courier.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import io.courier.serialization.ReadBudget;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Kryo serializers for JDK collections and arrays whose stock versions either size an allocation from an
 * unchecked length (collections, maps, object arrays) or cannot rebuild the value at all (immutable and
 * unmodifiable collections, which have no usable constructor).
 *
 * <p>They also keep reads within the {@link ReadBudget}: element counts are charged to it, and a hashed set or
 * map (see {@link #isHashed}) is not filled as its elements are read but staged first, so that
 * {@link ReadBudget#checkHashCodes} sees all of them before a single {@code equals} of {@code HashMap}'s runs.
 * Stock Kryo adds each element as it reads it, which lets 20,000 lists of one hash code cost seconds.
 */
final class JdkSerializers {

  private JdkSerializers() {}

  /** Fails unless {@code count} elements of at least one byte each can still follow in {@code input}. */
  static void checkCount(Input input, long count) {
    long remaining = (long) input.limit() - input.position();
    if (count < 0 || count > remaining) {
      throw new KryoBufferUnderflowException("kryo input claims " + count + " elements but only " + remaining
          + " bytes remain");
    }
  }

  /** Charges {@code values} to the budget of the read in progress (a plain Kryo, in tests, has none). */
  static void charge(Kryo kryo, long values) {
    if (kryo instanceof CourierKryo courier) {
      courier.budget().charge(values);
    }
  }

  /** Reads the varint at the current position without consuming it. */
  static int peekVarInt(Input input) {
    int start = input.position();
    int value = input.readVarInt(true);
    input.setPosition(start);
    return value;
  }

  /** Whether instances of {@code type} may be hashed sets, which {@link HashedCollectionSerializer} reads. */
  static boolean isHashedClass(Class<?> type) {
    return Set.class.isAssignableFrom(type) && !SortedSet.class.isAssignableFrom(type)
        && !EnumSet.class.isAssignableFrom(type);
  }

  /**
   * Whether {@code collection} (a set or a map) finds its elements by hash code, so that elements of one hash code
   * cost it a linear scan each: every set and map but the sorted ones and the enum ones.
   */
  static boolean isHashed(Object collection) {
    if (collection instanceof Set<?>) {
      return !(collection instanceof SortedSet<?>) && !(collection instanceof EnumSet<?>);
    }
    return collection instanceof Map<?, ?> && !(collection instanceof SortedMap<?, ?>)
        && !(collection instanceof EnumMap<?, ?>) && !(collection instanceof IdentityHashMap<?, ?>);
  }

  /** The stock collection serializer with the element count checked before the collection is created, and charged. */
  static class CheckedCollectionSerializer<T extends Collection<Object>> extends CollectionSerializer<T> {
    @Override
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      checkCount(input, size);
      charge(kryo, size);
      return super.create(kryo, input, type, size);
    }
  }

  /**
   * For hashed sets ({@link #isHashed}): {@link CheckedCollectionSerializer}, and the set is filled only once all
   * its elements are read and their hash codes checked. A class of its own, so that lists pay nothing for it.
   */
  static class HashedCollectionSerializer<T extends Collection<Object>> extends CheckedCollectionSerializer<T> {
    @Override
    @SuppressWarnings("unchecked")
    protected final T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      T collection = super.create(kryo, input, type, size);
      return kryo instanceof CourierKryo courier && isHashed(collection)
          ? (T) new StagedElements(collection, size, courier.budget()) : collection;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
      T collection = super.read(kryo, input, type);
      return collection instanceof StagedElements staged ? (T) staged.fill() : collection;
    }
  }

  /** The stock map serializer with the same checks as {@link CheckedCollectionSerializer}. */
  static class CheckedMapSerializer<T extends Map<Object, Object>> extends MapSerializer<T> {
    @Override
    @SuppressWarnings("unchecked")
    protected final T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      checkCount(input, size);
      charge(kryo, size);
      T map = newMap(kryo, input, type, size);
      return kryo instanceof CourierKryo courier && isHashed(map)
          ? (T) new StagedEntries(map, size, courier.budget()) : map;
    }

    /** The map to fill; {@code size} is checked. */
    protected T newMap(Kryo kryo, Input input, Class<? extends T> type, int size) {
      return super.create(kryo, input, type, size);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
      T map = super.read(kryo, input, type);
      return map instanceof StagedEntries staged ? (T) staged.fill() : map;
    }
  }

  /**
   * The elements of a hashed set as they are read; {@link #fill} checks their hash codes and adds them to the set.
   * Invariant: only {@code CollectionSerializer.read} sees it, and it only calls {@code add}.
   */
  static final class StagedElements extends ArrayList<Object> {
    private static final long serialVersionUID = 1L;
    private final transient Collection<Object> target;
    private final transient ReadBudget budget;

    StagedElements(Collection<Object> target, int size, ReadBudget budget) {
      super(size);
      this.target = target;
      this.budget = budget;
    }

    Collection<Object> fill() {
      Object[] elements = toArray();
      budget.checkHashCodes(elements, elements.length);
      Collections.addAll(target, elements);
      return target;
    }
  }

  /**
   * The entries of a hashed map as they are read; {@link #fill} checks the keys' hash codes and puts the entries.
   * Invariant: only {@code MapSerializer.read} sees it, and it only calls {@code put}.
   */
  static final class StagedEntries extends AbstractMap<Object, Object> {
    private final Map<Object, Object> target;
    private final ReadBudget budget;
    private final Object[] keys;
    private final Object[] values;
    private int count;

    StagedEntries(Map<Object, Object> target, int size, ReadBudget budget) {
      this.target = target;
      this.budget = budget;
      this.keys = new Object[size];
      this.values = new Object[size];
    }

    @Override
    public Object put(Object key, Object value) {
      keys[count] = key;
      values[count++] = value;
      return null;
    }

    @Override
    public Set<Entry<Object, Object>> entrySet() {
      throw new UnsupportedOperationException("a map being read is only put to");
    }

    Map<Object, Object> fill() {
      budget.checkHashCodes(keys, count);
      for (int i = 0; i < count; i++) {
        target.put(keys[i], values[i]);
      }
      return target;
    }
  }

  /** The stock object array serializer with the length checked before the array is created, and charged. */
  static final class CheckedObjectArraySerializer extends ObjectArraySerializer {
    CheckedObjectArraySerializer(Kryo kryo, Class<?> type) {
      super(kryo, type);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Object[] read(Kryo kryo, Input input, Class type) {
      long length = peekVarInt(input) - 1L;
      checkCount(input, length);
      charge(kryo, Math.max(0, length));
      return super.read(kryo, input, type);
    }
  }

  /** The stock string array serializer with the length checked before the array is created, and charged. */
  static final class CheckedStringArraySerializer extends StringArraySerializer {
    @Override
    @SuppressWarnings("rawtypes")
    public String[] read(Kryo kryo, Input input, Class type) {
      long length = peekVarInt(input) - 1L;
      checkCount(input, length);
      charge(kryo, Math.max(0, length));
      return super.read(kryo, input, type);
    }
  }

  /**
   * Writes any collection as its elements and reads them into a fresh mutable collection, then hands it to
   * {@code finish} (which may wrap or copy it into the original's kind). For classes without a usable
   * constructor: {@code List.of}, {@code Arrays.asList}, {@code Collections.unmodifiableList} and friends.
   */
  static final class RebuiltCollectionSerializer extends CheckedCollectionSerializer<Collection<Object>> {
    private final boolean set;
    private final Function<Collection<Object>, Collection<Object>> finish;

    RebuiltCollectionSerializer(boolean set, boolean elementsCanBeNull,
        Function<Collection<Object>, Collection<Object>> finish) {
      this.set = set;
      this.finish = finish;
      setElementsCanBeNull(elementsCanBeNull);
    }

    @Override
    protected Collection<Object> create(Kryo kryo, Input input, Class<? extends Collection<Object>> type, int size) {
      checkCount(input, size);
      charge(kryo, size);
      if (!set) {
        return new ArrayList<>(size);
      }
      Collection<Object> elements = new LinkedHashSet<>(Math.max(16, (int) (size / 0.75f) + 1));
      return kryo instanceof CourierKryo courier ? new StagedElements(elements, size, courier.budget()) : elements;
    }

    @Override
    public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
      Collection<Object> elements = super.read(kryo, input, type);
      if (elements instanceof StagedElements staged) {
        elements = staged.fill();
      }
      return elements == null ? null : finish.apply(elements);
    }
  }

  /** Like {@link RebuiltCollectionSerializer}, for maps ({@code Map.of}, {@code Collections.unmodifiableMap}). */
  static final class RebuiltMapSerializer extends CheckedMapSerializer<Map<Object, Object>> {
    private final Function<Map<Object, Object>, Map<Object, Object>> finish;

    RebuiltMapSerializer(Function<Map<Object, Object>, Map<Object, Object>> finish) {
      this.finish = finish;
    }

    @Override
    protected Map<Object, Object> newMap(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type,
        int size) {
      return new LinkedHashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
    }

    @Override
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      Map<Object, Object> entries = super.read(kryo, input, type);
      return entries == null ? null : finish.apply(entries);
    }
  }

  static RebuiltCollectionSerializer immutableList() {
    return new RebuiltCollectionSerializer(false, false, elements -> List.copyOf(elements));
  }

  /**
   * {@code Set.of} and its kind come back as an unmodifiable view of a {@code LinkedHashSet}, not through
   * {@code Set.copyOf}: the JDK's immutable sets probe linearly from {@code hashCode} modulo their table size,
   * so elements whose hash codes merely agree modulo that size (Integers, even) would cost a scan each.
   */
  @SuppressWarnings("unchecked")
  static RebuiltCollectionSerializer immutableSet() {
    return new RebuiltCollectionSerializer(true, false,
        elements -> Collections.unmodifiableSet((Set<Object>) elements));
  }

  /**
   * {@code Map.of} and its kind, for the same reason as {@link #immutableSet}: an unmodifiable {@code LinkedHashMap}.
   */
  static RebuiltMapSerializer immutableMap() {
    return new RebuiltMapSerializer(Collections::unmodifiableMap);
  }

  static RebuiltCollectionSerializer arraysAsList() {
    return new RebuiltCollectionSerializer(false, true, elements -> Arrays.asList(elements.toArray()));
  }

  static RebuiltCollectionSerializer unmodifiableCollection() {
    return new RebuiltCollectionSerializer(false, true, Collections::unmodifiableCollection);
  }

  @SuppressWarnings("unchecked")
  static RebuiltCollectionSerializer unmodifiableList() {
    return new RebuiltCollectionSerializer(false, true,
        elements -> Collections.unmodifiableList((List<Object>) elements));
  }

  @SuppressWarnings("unchecked")
  static RebuiltCollectionSerializer unmodifiableSet() {
    return new RebuiltCollectionSerializer(true, true, elements -> Collections.unmodifiableSet((Set<Object>) elements));
  }

  /** Comparators are not carried: the copy sorts by natural order. */
  static RebuiltCollectionSerializer unmodifiableSortedSet() {
    return new RebuiltCollectionSerializer(false, false,
        elements -> Collections.unmodifiableSortedSet(new TreeSet<>(elements)));
  }

  static RebuiltMapSerializer unmodifiableMap() {
    return new RebuiltMapSerializer(Collections::unmodifiableMap);
  }

  /** Comparators are not carried: the copy sorts by natural order. */
  static RebuiltMapSerializer unmodifiableSortedMap() {
    return new RebuiltMapSerializer(entries -> Collections.unmodifiableSortedMap(new TreeMap<>(entries)));
  }
}
