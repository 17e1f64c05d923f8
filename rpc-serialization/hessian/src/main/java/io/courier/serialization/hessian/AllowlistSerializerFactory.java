package io.courier.serialization.hessian;

import com.alibaba.com.caucho.hessian.io.AbstractHessianInput;
import com.alibaba.com.caucho.hessian.io.AbstractHessianOutput;
import com.alibaba.com.caucho.hessian.io.AbstractSerializer;
import com.alibaba.com.caucho.hessian.io.ArrayDeserializer;
import com.alibaba.com.caucho.hessian.io.CollectionSerializer;
import com.alibaba.com.caucho.hessian.io.Deserializer;
import com.alibaba.com.caucho.hessian.io.FieldDeserializer2Factory;
import com.alibaba.com.caucho.hessian.io.HessianProtocolException;
import com.alibaba.com.caucho.hessian.io.JavaDeserializer;
import com.alibaba.com.caucho.hessian.io.LocaleSerializer;
import com.alibaba.com.caucho.hessian.io.MapSerializer;
import com.alibaba.com.caucho.hessian.io.Serializer;
import com.alibaba.com.caucho.hessian.io.SerializerFactory;
import com.alibaba.com.caucho.hessian.io.StringValueDeserializer;
import com.alibaba.com.caucho.hessian.io.StringValueSerializer;
import com.alibaba.com.caucho.hessian.io.java8.DurationSerializer;
import com.alibaba.com.caucho.hessian.io.java8.InstantSerializer;
import com.alibaba.com.caucho.hessian.io.java8.LocalDateHandle;
import com.alibaba.com.caucho.hessian.io.java8.LocalDateTimeHandle;
import com.alibaba.com.caucho.hessian.io.java8.LocalTimeHandle;
import com.alibaba.com.caucho.hessian.io.java8.MonthDaySerializer;
import com.alibaba.com.caucho.hessian.io.java8.OffsetDateTimeSerializer;
import com.alibaba.com.caucho.hessian.io.java8.OffsetTimeSerializer;
import com.alibaba.com.caucho.hessian.io.java8.PeriodSerializer;
import com.alibaba.com.caucho.hessian.io.java8.YearMonthSerializer;
import com.alibaba.com.caucho.hessian.io.java8.YearSerializer;
import com.alibaba.com.caucho.hessian.io.java8.ZoneOffsetSerializer;
import com.alibaba.com.caucho.hessian.io.java8.ZonedDateTimeSerializer;
import io.courier.serialization.SerializationException;
import io.courier.serialization.TypeAllowlist;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A hessian-lite {@link SerializerFactory} that hands out deserializers only for classes the
 * {@link TypeAllowlist} accepts. Every class hessian reads is named by its type string (checked here before
 * hessian loads the class) or is a declared or field type (checked here before a deserializer, and so an
 * instance, is made). A refusal is a {@link SerializationException} naming the class; hessian wraps it, and
 * {@link HessianSerializer} unwraps it.
 *
 * <p>It also fills gaps in hessian-lite: records ({@link RecordDeserializer}: hessian-lite 3 could not rebuild
 * them, and 4's reader cannot read their map form), JDK collections whose {@code writeReplace} would make hessian
 * serialize private JDK internals ({@code List.of}, {@code Collections.unmodifiableList}), {@link URI} (written and
 * read as hessian-lite 3 did, with a {@code value} field; hessian-lite 4's own names it {@code string}) and
 * {@link BigInteger} (as its decimal string, like {@code BigDecimal}). Every collection and map, typed, untyped or
 * declared, is read by {@link CheckedCollectionDeserializer} or {@link CheckedMapDeserializer}, which keep to the
 * read's {@link io.courier.serialization.ReadBudget}.
 *
 * <p>What it keeps from hessian-lite 4: its reflection-free {@code java.time} serializers, registered here by class
 * ({@link #JDK_VALUE_SERIALIZERS}). What it turns off: the {@code Unsafe} field setters hessian-lite 4 uses by
 * default, which store whatever was read into a field without checking its class (a {@code LocalDateTime} into a
 * {@code LocalDate} field); objects are built by {@link JavaDeserializer} with {@code Field.set}, which checks, as
 * hessian-lite 3 did. And hessian-lite 4's own class check ({@code ClassFactory}, its {@code DENY_CLASS} list) is
 * never asked: {@link #getDeserializer(String)} resolves every class name itself. Thread-safe: hessian's caches are
 * concurrent maps.
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

  /**
   * Serializers of JDK value types, by class: hessian-lite 4's own, which hessian-lite finds only through a
   * {@code META-INF/dubbo/hessian/serializers} file on whatever class loader it picks (named here, they are used
   * whatever that loader sees). Each writes the handle object hessian-lite 3 wrote (a {@code LocalDate} as a
   * {@code LocalDateHandle}), the same bytes, without the reflection hessian-lite 3 did for every value.
   * {@code LocalDate}, {@code LocalDateTime} and {@code LocalTime} get a {@link HandleSerializer} instead of
   * hessian-lite's, which switches JVM-wide to a compact form when
   * {@code -Dcom.caucho.hessian.io.java.time.serializer.compactMode=true} is set: for {@code LocalDate} and
   * {@code LocalTime} a class with no fields followed by a number, which is not Hessian 2 ({@link HessianScanner}
   * refuses it), and for all three a form hessian-lite 3 cannot read.
   */
  private static final Map<Class<?>, Serializer> JDK_VALUE_SERIALIZERS = Map.ofEntries(
      Map.entry(LocalDate.class, new HandleSerializer(LocalDateHandle::new)),
      Map.entry(LocalDateTime.class, new HandleSerializer(LocalDateTimeHandle::new)),
      Map.entry(LocalTime.class, new HandleSerializer(LocalTimeHandle::new)),
      Map.entry(Instant.class, new InstantSerializer<>()),
      Map.entry(Duration.class, new DurationSerializer<>()),
      Map.entry(Period.class, new PeriodSerializer<>()),
      Map.entry(Year.class, new YearSerializer<>()),
      Map.entry(YearMonth.class, new YearMonthSerializer<>()),
      Map.entry(MonthDay.class, new MonthDaySerializer<>()),
      Map.entry(OffsetDateTime.class, new OffsetDateTimeSerializer<>()),
      Map.entry(OffsetTime.class, new OffsetTimeSerializer<>()),
      Map.entry(ZonedDateTime.class, new ZonedDateTimeSerializer<>()),
      Map.entry(ZoneOffset.class, new ZoneOffsetSerializer<>()),
      Map.entry(Locale.class, new LocaleSerializer()),
      Map.entry(URI.class, new StringValueSerializer()),
      Map.entry(BigInteger.class, new StringValueSerializer()));

  /**
   * Readers of the values written with a {@code StringValueSerializer} above: an object with one field,
   * {@code value}, its {@code toString()}. A {@code BigInteger} was written field by field before, which on JDK 17 no
   * reader could set (its fields are in {@code java.base}).
   */
  private static final Map<Class<?>, Deserializer> STRING_VALUE_DESERIALIZERS = Map.of(
      URI.class, new StringValueDeserializer(URI.class),
      BigInteger.class, new StringValueDeserializer(BigInteger.class));

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
  /** Sets fields with {@code Field.set}, which checks the value's class; hessian-lite 4's default does not. */
  private final FieldDeserializer2Factory checkedFields = new FieldDeserializer2Factory();
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
    } else if (STRING_VALUE_DESERIALIZERS.containsKey(cl)) {
      deserializer = STRING_VALUE_DESERIALIZERS.get(cl);
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

  /** Objects of allowed classes are built with checked field assignment (see the class comment). */
  @Override
  @SuppressWarnings("rawtypes")
  protected Deserializer getDefaultDeserializer(Class cl) {
    return new JavaDeserializer(cl, checkedFields);
  }

  @Override
  public FieldDeserializer2Factory getFieldDeserializerFactory() {
    return checkedFields;
  }

  /**
   * Writes JDK collections and maps as plain lists and maps: their {@code writeReplace} would otherwise make
   * hessian serialize JDK-private proxies ({@code CollSer}) that no reader should accept. JDK value types get
   * {@link #JDK_VALUE_SERIALIZERS}.
   */
  @Override
  @SuppressWarnings("rawtypes")
  public Serializer getSerializer(Class cl) throws HessianProtocolException {
    Serializer valueSerializer = JDK_VALUE_SERIALIZERS.get(cl);
    if (valueSerializer != null) {
      return valueSerializer;
    }
    if (cl.getName().startsWith("java.util.") && !EnumSet.class.isAssignableFrom(cl)) {
      if (Map.class.isAssignableFrom(cl)) {
        return mapSerializer;
      } else if (Collection.class.isAssignableFrom(cl)) {
        return collectionSerializer;
      }
    }
    return super.getSerializer(cl);
  }

  /** Writes a value as the {@code HessianHandle} object hessian-lite reads it back from. Stateless. */
  private static final class HandleSerializer extends AbstractSerializer {
    private final Function<Object, Object> handle;

    HandleSerializer(Function<Object, Object> handle) {
      this.handle = handle;
    }

    @Override
    public void writeObject(Object value, AbstractHessianOutput out) throws IOException {
      out.writeObject(handle.apply(value));
    }
  }

  static SerializationException notAllowed(String className) {
    return new SerializationException("class " + className
        + " is not allowed; add it with TypeAllowlist.allowClass(...) or allowPackage(...)");
  }
}
