package io.courier.serialization.json;

import io.courier.serialization.ReadBudget;
import io.courier.serialization.SerializationException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.UUID;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.jdk.CollectionDeserializer;
import tools.jackson.databind.deser.jdk.MapDeserializer;
import tools.jackson.databind.deser.std.StdConvertingDeserializer;
import tools.jackson.databind.type.CollectionType;
import tools.jackson.databind.type.MapType;
import tools.jackson.databind.type.TypeFactory;
import tools.jackson.databind.util.Converter;

/**
 * Reads hashed sets and maps so that elements of one hash code cannot make building them quadratic. Jackson adds
 * each element to the set (each key to the map) as it reads it; 20,000 two-element lists of one hash code in a
 * {@code Set<List<Integer>>} are 300 KB of JSON and seconds of CPU, because {@code HashMap} cannot order lists
 * and scans every earlier one. So a {@code Set<E>} is read as a {@code List<E>} and a {@code Map<K, V>} as a
 * {@code Map<String, V>} (JSON keys are strings), their elements or keys checked with
 * {@link ReadBudget#checkHashCodes}, and only then put into the declared set or map.
 *
 * <p>Only where it can matter: sets of elements, and maps of keys, whose declared class could collide and not be
 * ordered by a {@code HashMap} ({@code Set<List<Integer>>}, {@code Set<Object>}, {@code Map<LocalDate, V>}, a
 * record); {@code Set<String>}, {@code Map<String, V>}, {@code Map<Long, V>}, enums and sorted sets and maps are
 * read as Jackson reads them. JSON has no shared references, so every value is at least a byte of input and a read
 * builds no more values than it has bytes: this is the only part of the {@link ReadBudget} JSON needs.
 */
final class HashedCollections extends ValueDeserializerModifier {

  private static final long serialVersionUID = 1L;

  /** Used for its hash-code check only, which keeps no state. */
  private static final ReadBudget CHECK = new ReadBudget("json");

  @Override
  public ValueDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
      BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
    Class<?> raw = type.getRawClass();
    if (!(deserializer instanceof CollectionDeserializer) || !Set.class.isAssignableFrom(raw)
        || SortedSet.class.isAssignableFrom(raw) || EnumSet.class.isAssignableFrom(raw)
        || isOrdered(type.getContentType().getRawClass())) {
      return deserializer; // only Jackson's own reader of sets is replaced
    }
    return new StdConvertingDeserializer<>(new SetConverter(type));
  }

  @Override
  public ValueDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type,
      BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
    Class<?> raw = type.getRawClass();
    Class<?> key = type.getKeyType().getRawClass();
    if (!(deserializer instanceof MapDeserializer) || SortedMap.class.isAssignableFrom(raw)
        || EnumMap.class.isAssignableFrom(raw) || IdentityHashMap.class.isAssignableFrom(raw) || key == Object.class
        || isOrdered(key)) {
      return deserializer; // only Jackson's own reader of maps; Map<Object, V> keys are read as strings
    }
    return new StdConvertingDeserializer<>(new MapConverter(type));
  }

  /** Declared classes whose instances never need the check: ones a HashMap orders, and enums (identity hashes). */
  private static boolean isOrdered(Class<?> type) {
    return type == String.class || type == CharSequence.class || type.isEnum() || type.isPrimitive()
        || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
        || type == Character.class || type == Boolean.class || type == Double.class || type == Float.class
        || type == BigInteger.class || type == UUID.class;
  }

  /** A new instance of the declared set or map class, or of Jackson's default for an abstract one. */
  private static Object create(Class<?> type, Class<?> fallback) {
    Class<?> concrete = type.isInterface() || Modifier.isAbstract(type.getModifiers()) ? fallback : type;
    try {
      return concrete.getDeclaredConstructor().newInstance();
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
        | InvocationTargetException e) {
      throw new SerializationException("json cannot create a " + type.getName() + ": " + e, e);
    }
  }

  /** {@code List<E>} to the declared {@code Set<E>}, after the check. */
  private static final class SetConverter implements Converter<Object, Object> {
    private final CollectionType type;

    SetConverter(CollectionType type) {
      this.type = type;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object convert(DeserializationContext context, Object value) {
      Object[] elements = ((List<Object>) value).toArray();
      CHECK.checkHashCodes(elements, elements.length);
      Collection<Object> set = (Collection<Object>) create(type.getRawClass(), HashSet.class);
      for (Object element : elements) {
        set.add(element);
      }
      return set;
    }

    @Override
    public Object convert(SerializationContext context, Object value) {
      throw new UnsupportedOperationException("reading only");
    }

    @Override
    public JavaType getInputType(TypeFactory types) {
      return types.constructCollectionType(List.class, type.getContentType());
    }

    @Override
    public JavaType getOutputType(TypeFactory types) {
      return type;
    }
  }

  /** {@code Map<String, V>} to the declared {@code Map<K, V>}: keys read by K's key deserializer, then checked. */
  private static final class MapConverter implements Converter<Object, Object> {
    private final MapType type;

    MapConverter(MapType type) {
      this.type = type;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object convert(DeserializationContext context, Object value) {
      Map<String, Object> entries = (Map<String, Object>) value;
      KeyDeserializer keys = context.findKeyDeserializer(type.getKeyType(), null);
      Object[] keyArray = new Object[entries.size()];
      Object[] valueArray = new Object[entries.size()];
      int count = 0;
      for (Map.Entry<String, Object> entry : entries.entrySet()) {
        keyArray[count] = keys.deserializeKey(entry.getKey(), context);
        valueArray[count++] = entry.getValue();
      }
      CHECK.checkHashCodes(keyArray, count);
      Map<Object, Object> map = (Map<Object, Object>) create(type.getRawClass(), LinkedHashMap.class);
      for (int i = 0; i < count; i++) {
        map.put(keyArray[i], valueArray[i]);
      }
      return map;
    }

    @Override
    public Object convert(SerializationContext context, Object value) {
      throw new UnsupportedOperationException("reading only");
    }

    @Override
    public JavaType getInputType(TypeFactory types) {
      return types.constructMapType(LinkedHashMap.class, types.constructType(String.class), type.getContentType());
    }

    @Override
    public JavaType getOutputType(TypeFactory types) {
      return type;
    }
  }
}
