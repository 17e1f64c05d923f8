package io.courier.serialization.hessian;

import com.alibaba.com.caucho.hessian.io.AbstractHessianInput;
import com.alibaba.com.caucho.hessian.io.ArrayDeserializer;
import com.alibaba.com.caucho.hessian.io.CollectionSerializer;
import com.alibaba.com.caucho.hessian.io.Deserializer;
import com.alibaba.com.caucho.hessian.io.ExtSerializerFactory;
import com.alibaba.com.caucho.hessian.io.HessianProtocolException;
import com.alibaba.com.caucho.hessian.io.MapSerializer;
import com.alibaba.com.caucho.hessian.io.Serializer;
import com.alibaba.com.caucho.hessian.io.SerializerFactory;
import com.alibaba.com.caucho.hessian.io.StringValueDeserializer;
import com.alibaba.com.caucho.hessian.io.StringValueSerializer;
import io.courier.serialization.SerializationException;
import io.courier.serialization.TypeAllowlist;
import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hessian-lite {@link SerializerFactory} that hands out deserializers only for classes the
 * {@link TypeAllowlist} accepts. Every class hessian reads is named by its type string (checked here before
 * hessian loads the class) or is a declared or field type (checked here before a deserializer, and so an
 * instance, is made). A refusal is a {@link SerializationException} naming the class; hessian wraps it, and
 * {@link HessianSerializer} unwraps it.
 *
 * <p>It also fills gaps in hessian-lite: records (which it cannot rebuild), JDK collections whose
 * {@code writeReplace} would make hessian serialize private JDK internals ({@code List.of},
 * {@code Collections.unmodifiableList}), and {@link URI}. Every collection and map, typed, untyped or declared, is
 * read by {@link CheckedCollectionDeserializer} or {@link CheckedMapDeserializer}, which keep to the read's
 * {@link io.courier.serialization.ReadBudget}. Thread-safe: hessian's caches are concurrent maps.
 */
final class AllowlistSerializerFactory extends SerializerFactory {

  /** Hessian's own names for the types it reads without loading a class. */
  private static final Set<String> BASIC_TYPE_NAMES = Set.of(
      "boolean", "byte", "short", "int", "long", "float", "double", "char", "string", "object", "date", "void",
      "[boolean", "[byte", "[short", "[int", "[long", "[float", "[double", "[char", "[string", "[object");

  /** The classes hessian-lite itself writes in place of JDK values ({@code java.time}, {@code Locale}, ...). */
  private static final Set<String> HESSIAN_HANDLES = Set.of(
      "com.alibaba.com.caucho.hessian.io.java8.DurationHandle",
      "com.alibaba.com.caucho.hessian.io.java8.InstantHandle",
      "com.alibaba.com.caucho.hessian.io.java8.LocalDateHandle",
      "com.alibaba.com.caucho.hessian.io.java8.LocalDateTimeHandle",
      "com.alibaba.com.caucho.hessian.io.java8.LocalTimeHandle",
      "com.alibaba.com.caucho.hessian.io.java8.MonthDayHandle",
      "com.alibaba.com.caucho.hessian.io.java8.OffsetDateTimeHandle",
      "com.alibaba.com.caucho.hessian.io.java8.OffsetTimeHandle",
      "com.alibaba.com.caucho.hessian.io.java8.PeriodHandle",
      "com.alibaba.com.caucho.hessian.io.java8.YearHandle",
      "com.alibaba.com.caucho.hessian.io.java8.YearMonthHandle",
      "com.alibaba.com.caucho.hessian.io.java8.ZoneIdHandle",
      "com.alibaba.com.caucho.hessian.io.java8.ZoneOffsetHandle",
      "com.alibaba.com.caucho.hessian.io.java8.ZonedDateTimeHandle",
      "com.alibaba.com.caucho.hessian.io.LocaleHandle",
      "com.alibaba.com.caucho.hessian.io.BitSetHandle");

  private final TypeAllowlist allowlist;
  /** Deserializers for type names already accepted. */
  private final Map<String, Deserializer> byTypeName = new ConcurrentHashMap<>();
  /** Deserializers for classes already accepted (declared, field and element types are asked for per value). */
  private final Map<Class<?>, Deserializer> byClass = new ConcurrentHashMap<>();
  /** For untyped lists and maps, where hessian-lite would use its own list and map deserializers. */
  private final CheckedCollectionDeserializer untypedList = new CheckedCollectionDeserializer(null);
  private final CheckedMapDeserializer untypedMap = new CheckedMapDeserializer(null);
  private final CollectionSerializer collectionSerializer = new CollectionSerializer();
  private final MapSerializer mapSerializer = new MapSerializer();
  private final ClassValue<Deserializer> recordDeserializers = new ClassValue<>() {
    @Override
    protected Deserializer computeValue(Class<?> type) {
      return new RecordDeserializer(type);
    }
  };

  AllowlistSerializerFactory(TypeAllowlist allowlist, ClassLoader classLoader) {
    super(classLoader);
    this.allowlist = allowlist;
    setAllowNonSerializable(true); // the allowlist, not Serializable, decides what may be read
    ExtSerializerFactory extras = new ExtSerializerFactory();
    extras.addSerializer(URI.class, new StringValueSerializer());
    try {
      extras.addDeserializer(URI.class, new StringValueDeserializer(URI.class));
    } catch (RuntimeException e) {
      throw new IllegalStateException("hessian-lite cannot build a URI deserializer", e);
    }
    addFactory(extras);
  }

  /**
   * Resolves a type name from the wire, checking it before the class it names is loaded. This replaces
   * hessian's own resolution, which swallows every failure, reads the value as a {@code HashMap} instead and
   * remembers the name as unknown in a JVM-wide cache.
   */
  @Override
  public Deserializer getDeserializer(String type) throws HessianProtocolException {
    if (type == null || type.isEmpty()) {
      return null; // an untyped list or map
    }
    if (BASIC_TYPE_NAMES.contains(type)) {
      return super.getDeserializer(type); // hessian's static table; loads no class
    }
    Deserializer deserializer = byTypeName.get(type);
    if (deserializer != null) {
      return deserializer;
    }
    if (type.charAt(0) == '[') {
      Deserializer element = getDeserializer(type.substring(1));
      deserializer = new ArrayDeserializer(element == null ? Object.class : element.getType());
    } else {
      if (!HESSIAN_HANDLES.contains(type) && !allowlist.isAllowed(type)) {
        throw notAllowed(type);
      }
      deserializer = getDeserializer(load(type));
    }
    byTypeName.put(type, deserializer); // only accepted names get here, and the allowlist only grows
    return deserializer;
  }

  private Class<?> load(String className) {
    try {
      return Class.forName(className, false, getClassLoader());
    } catch (ClassNotFoundException e) {
      try {
        return Class.forName(className, false, AllowlistSerializerFactory.class.getClassLoader());
      } catch (ClassNotFoundException ignored) {
        throw new SerializationException("hessian input names class " + className
            + ", which is not on this side's class path", e);
      }
    } catch (LinkageError e) {
      throw new SerializationException("hessian input names class " + className + ", which cannot be loaded", e);
    }
  }

  /**
   * Checks a declared or field type before a deserializer (and so an instance) is made for it. Collections and
   * maps get {@link CheckedCollectionDeserializer} and {@link CheckedMapDeserializer}, which keep reads within
   * their {@link io.courier.serialization.ReadBudget}.
   */
  @Override
  @SuppressWarnings("rawtypes")
  public Deserializer getDeserializer(Class cl) throws HessianProtocolException {
    Deserializer deserializer = byClass.get(cl);
    if (deserializer != null) {
      return deserializer;
    }
    if (!allowlist.isAllowed(cl) && !HESSIAN_HANDLES.contains(cl.getName())) {
      throw notAllowed(cl.getName());
    }
    if (cl.isRecord()) {
      deserializer = recordDeserializers.get(cl);
    } else if (cl.getName().startsWith("java.time.") && !cl.isEnum()) {
      // hessian writes java.time values as its own handle objects; anything else here is malformed input
      throw new SerializationException("hessian input holds something other than a " + cl.getName()
          + " where one is expected");
    } else if (Collection.class.isAssignableFrom(cl) && !EnumSet.class.isAssignableFrom(cl)) {
      deserializer = new CheckedCollectionDeserializer(cl);
    } else if (Map.class.isAssignableFrom(cl)) {
      deserializer = new CheckedMapDeserializer(cl);
    } else {
      deserializer = super.getDeserializer(cl);
    }
    byClass.put(cl, deserializer); // only accepted classes get here, and the allowlist only grows
    return deserializer;
  }

  /** An untyped or unnamed list is read by {@link CheckedCollectionDeserializer}, not hessian-lite's own. */
  @Override
  public Deserializer getListDeserializer(String type) throws HessianProtocolException {
    Deserializer deserializer = getDeserializer(type);
    return deserializer != null ? deserializer : untypedList;
  }

  /** An untyped or unnamed map (or object) is read by {@link CheckedMapDeserializer}, not hessian-lite's own. */
  @Override
  public Deserializer getObjectDeserializer(String type) throws HessianProtocolException {
    Deserializer deserializer = getDeserializer(type);
    return deserializer != null ? deserializer : untypedMap;
  }

  @Override
  public Object readList(AbstractHessianInput in, int length, String type) throws IOException {
    return getListDeserializer(type).readList(in, length);
  }

  @Override
  public Object readMap(AbstractHessianInput in, String type) throws IOException {
    return getObjectDeserializer(type).readMap(in);
  }

  @Override
  public Object readMap(AbstractHessianInput in, String type, Class<?> keyType, Class<?> valueType)
      throws IOException {
    return getObjectDeserializer(type).readMap(in, keyType, valueType);
  }

  @Override
  public Object readObject(AbstractHessianInput in, String type, String[] fieldNames) throws IOException {
    return getObjectDeserializer(type).readObject(in, fieldNames);
  }

  /**
   * Writes JDK collections and maps as plain lists and maps: their {@code writeReplace} would otherwise make
   * hessian serialize JDK-private proxies ({@code CollSer}) that no reader should accept.
   */
  @Override
  @SuppressWarnings("rawtypes")
  public Serializer getSerializer(Class cl) throws HessianProtocolException {
    if (cl.getName().startsWith("java.util.") && !EnumSet.class.isAssignableFrom(cl)) {
      if (Map.class.isAssignableFrom(cl)) {
        return mapSerializer;
      } else if (Collection.class.isAssignableFrom(cl)) {
        return collectionSerializer;
      }
    }
    return super.getSerializer(cl);
  }

  static SerializationException notAllowed(String className) {
    return new SerializationException("class " + className
        + " is not allowed; add it with TypeAllowlist.allowClass(...) or allowPackage(...)");
  }
}
