package io.courier.serialization;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The classes a serializer may instantiate while reading. Anything else is refused before it is loaded,
 * with its name in the error.
 *
 * <p>An allowlist starts with a fixed set of safe JDK value types (boxed primitives, {@code String},
 * {@code java.time}, the standard collections). Every service exported by a server or stubbed by a client
 * adds the types its signatures name, walked recursively through generic arguments, array components,
 * record components and the fields of user classes. Anything reached only at run time (a subclass, an
 * {@code Object} field) must be added explicitly with {@link #allowClass} or {@link #allowPackage}.
 *
 * <p>Thread-safe and live: serializers keep a reference and see later additions.
 *
 * <pre>{@code
 * TypeAllowlist allowlist = TypeAllowlist.withDefaults().allowPackage("com.acme.model");
 * }</pre>
 */
public final class TypeAllowlist {

  private static final List<String> SAFE_JDK_TYPES = List.of(
      "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Character",
      "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
      "java.lang.Void", "java.lang.Object", "java.lang.Number", "java.lang.Enum",
      "java.math.BigInteger", "java.math.BigDecimal", "java.util.UUID", "java.util.Date",
      "java.util.Optional", "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble",
      "java.util.BitSet", "java.util.Locale", "java.util.Currency", "java.net.URI",
      "java.time.Instant", "java.time.Duration", "java.time.Period", "java.time.LocalDate",
      "java.time.LocalTime", "java.time.LocalDateTime", "java.time.OffsetDateTime", "java.time.OffsetTime",
      "java.time.ZonedDateTime", "java.time.ZoneId", "java.time.ZoneOffset", "java.time.ZoneRegion",
      "java.time.Year", "java.time.YearMonth", "java.time.MonthDay", "java.time.DayOfWeek", "java.time.Month",
      "java.util.Collection", "java.util.List", "java.util.Set", "java.util.Map", "java.util.Queue",
      "java.util.Deque", "java.util.SortedSet", "java.util.SortedMap", "java.util.NavigableSet",
      "java.util.NavigableMap",
      "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashMap",
      "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet",
      "java.util.TreeSet", "java.util.EnumMap", "java.util.EnumSet", "java.util.RegularEnumSet",
      "java.util.JumboEnumSet", "java.util.concurrent.ConcurrentHashMap",
      "java.util.concurrent.CopyOnWriteArrayList", "java.util.Arrays$ArrayList",
      "java.util.Collections$EmptyList", "java.util.Collections$EmptySet", "java.util.Collections$EmptyMap",
      "java.util.Collections$SingletonList", "java.util.Collections$SingletonSet",
      "java.util.Collections$SingletonMap", "java.util.Collections$UnmodifiableCollection",
      "java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
      "java.util.Collections$UnmodifiableSet", "java.util.Collections$UnmodifiableSortedSet",
      "java.util.Collections$UnmodifiableMap", "java.util.Collections$UnmodifiableSortedMap",
      "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
      "java.util.ImmutableCollections$Set12", "java.util.ImmutableCollections$SetN",
      "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
      "java.util.ImmutableCollections$SubList");

  private final Set<String> classNames = ConcurrentHashMap.newKeySet();
  private final List<String> packagePrefixes = new CopyOnWriteArrayList<>();
  private final Set<Type> walked = ConcurrentHashMap.newKeySet();

  private TypeAllowlist(boolean defaults) {
    if (defaults) {
      classNames.addAll(SAFE_JDK_TYPES);
    }
  }

  /** An allowlist holding the safe JDK value types and nothing else. */
  public static TypeAllowlist withDefaults() {
    return new TypeAllowlist(true);
  }

  /** An allowlist that accepts nothing until told; for tests of the allowlist itself. */
  public static TypeAllowlist empty() {
    return new TypeAllowlist(false);
  }

  /** Accepts exactly this class (and arrays of it). */
  public TypeAllowlist allowClass(Class<?> type) {
    classNames.add(componentOf(type).getName());
    return this;
  }

  /** Accepts the class with this binary name, as {@link Class#getName()} spells it. */
  public TypeAllowlist allowClassName(String className) {
    if (className == null || className.isBlank()) {
      throw new IllegalArgumentException("className: '" + className + "' (expected: a binary class name)");
    }
    classNames.add(className);
    return this;
  }

  /**
   * Accepts every class in {@code packageName} and its sub-packages. Use for your own model packages only:
   * allowing a library's package lets in whatever classes it ships.
   */
  public TypeAllowlist allowPackage(String packageName) {
    if (packageName == null || packageName.isBlank() || packageName.startsWith("java.")
        || packageName.startsWith("javax.") || packageName.startsWith("sun.")
        || packageName.startsWith("com.sun.") || packageName.startsWith("jdk.")) {
      throw new IllegalArgumentException(
          "packageName: '" + packageName + "' (expected: one of your own packages, not a JDK package)");
    }
    String prefix = packageName.endsWith(".") ? packageName : packageName + ".";
    if (!packagePrefixes.contains(prefix)) {
      packagePrefixes.add(prefix);
    }
    return this;
  }

  /**
   * Accepts every class that {@code type} names: the type itself, its generic arguments, array components,
   * and, for classes outside the JDK, the declared types of their record components and instance fields,
   * recursively. Type variables and wildcards contribute nothing.
   */
  public TypeAllowlist allowType(Type type) {
    walk(type);
    return this;
  }

  /** Whether a class of this binary name may be instantiated. Array names ({@code [Lcom.x.Foo;}) are unwrapped. */
  public boolean isAllowed(String className) {
    if (className == null) {
      return false;
    }
    String name = unwrapArrayName(className);
    if (name == null) {
      return true; // an array of primitives
    }
    if (classNames.contains(name)) {
      return true;
    }
    for (String prefix : packagePrefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this class may be instantiated. Primitive types and arrays of allowed types are. */
  public boolean isAllowed(Class<?> type) {
    Class<?> component = componentOf(type);
    return component.isPrimitive() || isAllowed(component.getName())
        || (component.isEnum() || isEnumConstantBody(component)) && isAllowed(enumClass(component).getName());
  }

  private void walk(Type type) {
    if (type == null || !walked.add(type)) {
      return;
    }
    if (type instanceof Class<?> raw) {
      walkClass(raw);
    } else if (type instanceof ParameterizedType parameterized) {
      walk(parameterized.getRawType());
      for (Type argument : parameterized.getActualTypeArguments()) {
        walk(argument);
      }
    } else if (type instanceof GenericArrayType array) {
      walk(array.getGenericComponentType());
    }
    // TypeVariable and WildcardType: the concrete type is named where the variable is bound.
  }

  private void walkClass(Class<?> raw) {
    Class<?> type = componentOf(raw);
    if (type.isPrimitive()) {
      return;
    }
    classNames.add(type.getName());
    if (isJdkClass(type) || type.isInterface() && !type.isAnnotation() && type.getDeclaredFields().length == 0) {
      return;
    }
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        walk(component.getGenericType());
      }
      return;
    }
    for (Class<?> c = type; c != null && c != Object.class && !isJdkClass(c); c = c.getSuperclass()) {
      classNames.add(c.getName());
      for (Field field : c.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
          walk(field.getGenericType());
        }
      }
    }
  }

  private static boolean isJdkClass(Class<?> type) {
    String name = type.getName();
    return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
        || name.startsWith("sun.") || name.startsWith("com.sun.");
  }

  private static Class<?> componentOf(Class<?> type) {
    Class<?> c = type;
    while (c.isArray()) {
      c = c.getComponentType();
    }
    return c;
  }

  private static boolean isEnumConstantBody(Class<?> type) {
    Class<?> superclass = type.getSuperclass();
    return superclass != null && superclass.isEnum();
  }

  private static Class<?> enumClass(Class<?> type) {
    return type.isEnum() ? type : type.getSuperclass();
  }

  /** Returns the element class name of an array name, the name itself if it is not one, null for primitives. */
  private static String unwrapArrayName(String name) {
    int dims = 0;
    while (dims < name.length() && name.charAt(dims) == '[') {
      dims++;
    }
    if (dims == 0) {
      return name;
    }
    if (name.length() > dims + 2 && name.charAt(dims) == 'L' && name.endsWith(";")) {
      return name.substring(dims + 1, name.length() - 1);
    }
    return name.length() == dims + 1 ? null : name; // "[I" is a primitive array; anything else is odd
  }

  @Override
  public String toString() {
    return "TypeAllowlist{" + classNames.size() + " classes, packages=" + packagePrefixes + "}";
  }
}
