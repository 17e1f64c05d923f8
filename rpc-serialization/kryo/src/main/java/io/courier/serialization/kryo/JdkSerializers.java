package io.courier.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Kryo serializers for JDK collections and arrays whose stock versions either size an allocation from an
 * unchecked length (collections, maps, object arrays) or cannot rebuild the value at all (immutable and
 * unmodifiable collections, which have no usable constructor).
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

  /** Reads the varint at the current position without consuming it. */
  static int peekVarInt(Input input) {
    int start = input.position();
    int value = input.readVarInt(true);
    input.setPosition(start);
    return value;
  }

  /** The stock collection serializer with the element count checked before the collection is created. */
  static class CheckedCollectionSerializer<T extends Collection<Object>> extends CollectionSerializer<T> {
    @Override
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      checkCount(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  /** The stock map serializer with the entry count checked before the map is created. */
  static class CheckedMapSerializer<T extends Map<Object, Object>> extends MapSerializer<T> {
    @Override
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      checkCount(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  /** The stock object array serializer with the length checked before the array is created. */
  static final class CheckedObjectArraySerializer extends ObjectArraySerializer {
    CheckedObjectArraySerializer(Kryo kryo, Class<?> type) {
      super(kryo, type);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Object[] read(Kryo kryo, Input input, Class type) {
      checkCount(input, peekVarInt(input) - 1L);
      return super.read(kryo, input, type);
    }
  }

  /** The stock string array serializer with the length checked before the array is created. */
  static final class CheckedStringArraySerializer extends StringArraySerializer {
    @Override
    @SuppressWarnings("rawtypes")
    public String[] read(Kryo kryo, Input input, Class type) {
      checkCount(input, peekVarInt(input) - 1L);
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
      return set ? new LinkedHashSet<>(Math.max(16, (int) (size / 0.75f) + 1)) : new ArrayList<>(size);
    }

    @Override
    public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
      Collection<Object> elements = super.read(kryo, input, type);
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
    protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type,
        int size) {
      checkCount(input, size);
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

  static RebuiltCollectionSerializer immutableSet() {
    return new RebuiltCollectionSerializer(true, false, elements -> Set.copyOf(elements));
  }

  static RebuiltMapSerializer immutableMap() {
    return new RebuiltMapSerializer(Map::copyOf);
  }

  static RebuiltCollectionSerializer arraysAsList() {
    return new RebuiltCollectionSerializer(false, true, elements -> Arrays.asList(elements.toArray()));
  }

  static RebuiltCollectionSerializer unmodifiableCollection() {
    return new RebuiltCollectionSerializer(false, true, Collections::unmodifiableCollection);
  }

  @SuppressWarnings("unchecked")
  static RebuiltCollectionSerializer unmodifiableList() {
    return new RebuiltCollectionSerializer(false, true, elements -> Collections.unmodifiableList((List<Object>) elements));
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
