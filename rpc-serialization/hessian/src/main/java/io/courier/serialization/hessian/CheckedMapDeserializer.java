package io.courier.serialization.hessian;

import com.alibaba.com.caucho.hessian.io.AbstractHessianInput;
import com.alibaba.com.caucho.hessian.io.AbstractMapDeserializer;
import com.alibaba.com.caucho.hessian.io.HessianProtocolException;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads any {@link Map}, in place of hessian-lite's {@code MapDeserializer}, for the reasons
 * {@link CheckedCollectionDeserializer} gives: keys and values are read through the input's {@code readObject},
 * and a hashed map is filled only once all its entries are read and its keys' hash codes checked. Creates the same
 * maps hessian's does: the class named, if it has a public no-argument constructor, else a {@code TreeMap} or a
 * {@code HashMap} by kind. Thread-safe (stateless).
 */
final class CheckedMapDeserializer extends AbstractMapDeserializer {

  private final Class<?> type;
  private final Constructor<?> constructor;

  /** {@code type} is the class named on the wire or declared, or {@code null} for an untyped map. */
  CheckedMapDeserializer(Class<?> type) {
    this.type = type;
    this.constructor = CheckedCollectionDeserializer.publicNoArgConstructor(type);
  }

  @Override
  public Class<?> getType() {
    return type == null ? HashMap.class : type;
  }

  @Override
  public Object readMap(AbstractHessianInput in) throws IOException {
    return readMap(in, null, null);
  }

  @Override
  public Object readMap(AbstractHessianInput in, Class<?> keyType, Class<?> valueType) throws IOException {
    Map<Object, Object> map = create();
    in.addRef(map); // keeps reference numbering in step with the writer
    Entries entries = new Entries(map, in);
    CheckedCollectionDeserializer.Elements keys = new CheckedCollectionDeserializer.Elements(in, keyType);
    CheckedCollectionDeserializer.Elements values = new CheckedCollectionDeserializer.Elements(in, valueType);
    while (!in.isEnd()) {
      Object key = keys.next();
      entries.put(key, values.next());
    }
    in.readEnd();
    return entries.fill();
  }

  /** An object whose class reads as a map: each field becomes an entry. */
  @Override
  public Object readObject(AbstractHessianInput in, String[] fieldNames) throws IOException {
    Map<Object, Object> map = create();
    in.addRef(map);
    Entries entries = new Entries(map, in);
    for (String name : fieldNames) {
      entries.put(name, in.readObject());
    }
    return entries.fill();
  }

  /** Hessian-lite's reader passes the field names as {@link #createFields} made them: strings. */
  @Override
  public Object readObject(AbstractHessianInput in, Object[] fields) throws IOException {
    return readObject(in, (String[]) fields);
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> create() throws IOException {
    if (type == null) {
      return new HashMap<>();
    }
    if (constructor != null) {
      try {
        return (Map<Object, Object>) constructor.newInstance();
      } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
        throw new HessianProtocolException(type.getName() + " cannot be created: " + e, e);
      }
    }
    return SortedMap.class.isAssignableFrom(type) ? new TreeMap<>() : new HashMap<>();
  }

  /** Whether the map finds its keys by hash code: every map but the sorted, enum and identity ones. */
  static boolean isHashed(Map<?, ?> map) {
    return !(map instanceof SortedMap<?, ?>) && !(map instanceof EnumMap<?, ?>)
        && !(map instanceof IdentityHashMap<?, ?>);
  }

  @Override
  public String toString() {
    return "CheckedMapDeserializer[" + getType().getName() + "]";
  }

  /** Puts entries straight into a map that is not hashed, and stages them for one that is. */
  private static final class Entries {
    private final Map<Object, Object> map;
    private final BudgetedHessianInput budgeted;
    private Object[] keys;
    private Object[] values;
    private int count;

    Entries(Map<Object, Object> map, AbstractHessianInput in) {
      this.map = map;
      this.budgeted = isHashed(map) && in instanceof BudgetedHessianInput b ? b : null;
      if (budgeted != null) {
        keys = new Object[8];
        values = new Object[8];
      }
    }

    void put(Object key, Object value) {
      if (budgeted == null) {
        map.put(key, value);
        return;
      }
      if (count == keys.length) {
        keys = Arrays.copyOf(keys, count * 2);
        values = Arrays.copyOf(values, count * 2);
      }
      keys[count] = key;
      values[count++] = value;
    }

    Map<Object, Object> fill() {
      if (budgeted != null) {
        budgeted.budget.checkHashCodes(keys, count);
        for (int i = 0; i < count; i++) {
          map.put(keys[i], values[i]);
        }
      }
      return map;
    }
  }
}
