package io.courier.describe;

import io.courier.common.ServiceDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * JSON Schema (draft 2020-12) of Java types as Courier's {@code json} serializer reads and writes them, and example
 * values built from such schemas. Records are objects of their components; other classes objects of their fields
 * (whatever their access, as the serializer sees them) and public getters; enums strings of their constant names;
 * arrays and collections arrays ({@code Set}s with {@code uniqueItems}); {@code Map<K, V>} objects whose values are
 * {@code V}; {@code byte[]} a base64 string; numbers integers or numbers with their range; {@code java.time} values
 * ISO-8601 strings ({@code format} {@code date-time}, {@code date}, {@code time}, {@code duration}); {@code UUID}
 * {@code format: uuid}; {@code Optional<T>} the schema of {@code T}; {@code Object} any value. Objects go into
 * {@code $defs} and are referred to with {@code $ref}, so recursive types end. Types a {@link SchemaProvider} on the
 * class path describes (protobuf messages, with {@code courier-serialization-protobuf}) are described by it.
 *
 * <pre>{@code
 * Map<String, Object> schema = JsonSchemas.of(User.class);
 * // {"$schema":"https://json-schema.org/draft/2020-12/schema","$ref":"#/$defs/User",
 * //  "$defs":{"User":{"type":"object","title":"User","properties":{"id":{"type":"integer",...},...}}}}
 * Object example = JsonSchemas.example(schema);   // {id=0, name=string, ...}: what a generic call takes
 * }</pre>
 *
 * <p>What the schemas do not say: that {@code null} is accepted for every reference type, and what Jackson
 * annotations on a model change (names, ignored properties, custom serializers). Stateless and thread-safe; each call
 * builds a new tree, which the caller may keep and must not modify while others read it.
 */
public final class JsonSchemas {

  /** The dialect: {@code $schema} of every document {@link #of} makes. */
  public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

  /** The annotation a {@link SchemaProvider} puts on each property of a group of which at most one is set. */
  public static final String ONE_OF_GROUP = "x-oneof";

  private static final String DEFS_PREFIX = "#/$defs/";
  /** The most definitions nested in one another while a document is built. */
  private static final int MAX_DEPTH = 64;

  /** The providers on the class path, loaded once. */
  private static final class Loaded {
    static final List<SchemaProvider> PROVIDERS = load();

    private static List<SchemaProvider> load() {
      List<SchemaProvider> found = new ArrayList<>();
      ServiceLoader.load(SchemaProvider.class, JsonSchemas.class.getClassLoader()).forEach(found::add);
      return List.copyOf(found);
    }
  }

  private JsonSchemas() {}

  /** The {@link SchemaProvider}s found on the class path, in the order they are asked. */
  public static List<SchemaProvider> providers() {
    return Loaded.PROVIDERS;
  }

  /**
   * A standalone schema document of {@code type}: {@code $schema}, the type's schema, and the {@code $defs} its
   * {@code $ref}s name.
   *
   * @param type a declared type, as {@code Method.getGenericParameterTypes()} gives it
   */
  public static Map<String, Object> of(Type type) {
    return of(type, Loaded.PROVIDERS);
  }

  /** {@link #of(Type)} asking these providers instead of those on the class path. */
  public static Map<String, Object> of(Type type, List<SchemaProvider> providers) {
    Builder builder = new Builder(providers);
    Map<String, Object> schema = builder.schema(type, Map.of());
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("$schema", DIALECT);
    document.putAll(schema);
    if (!builder.defs.isEmpty()) {
      document.put("$defs", builder.defs);
    }
    return document;
  }

  /**
   * An example value that {@code schema} (a document {@link #of} made, or any of its kind) accepts, as plain values:
   * maps, lists, strings, numbers, booleans and {@code null} — what {@link io.courier.client.GenericService#call}
   * takes. The first of {@code examples}, {@code const} or {@code enum} where the schema has them; {@code 0},
   * {@code false} or {@code "string"} for scalars (a date, a UUID... for a {@code format}); one element for an array,
   * one entry for a map, every property of an object but one of each {@value #ONE_OF_GROUP} group. A recursive
   * property is left out when its type is already being built.
   */
  public static Object example(Map<String, Object> schema) {
    Object value = new Examples(schema).of(schema);
    return value == Examples.MISSING ? null : value;
  }

  // ---- schema building ----

  /** A type variable's binding: the type it stands for and the bindings that type is read with. */
  private record Bound(Type type, Map<TypeVariable<?>, Bound> env) {}

  /** Builds one document: its {@code $defs}, shared by every schema built for it. */
  private static final class Builder {
    final List<SchemaProvider> providers;
    final Map<String, Object> defs = new LinkedHashMap<>();
    final Map<Object, String> names = new HashMap<>();
    int depth;

    Builder(List<SchemaProvider> providers) {
      this.providers = providers;
    }

    Map<String, Object> ref(Object key, String preferred, Consumer<Map<String, Object>> define) {
      String name = names.get(key);
      if (name == null && depth >= MAX_DEPTH) {
        // a type whose parameterizations grow without end (A<T> holding an A<List<T>>) would never close
        return object("description", "nested more than " + MAX_DEPTH + " definitions deep: not described");
      }
      if (name == null) {
        String base = sanitize(preferred);
        name = base;
        for (int i = 2; defs.containsKey(name); i++) {
          name = base + "_" + i;
        }
        names.put(key, name);
        Map<String, Object> definition = new LinkedHashMap<>();
        defs.put(name, definition);
        depth++;
        try {
          define.accept(definition);
        } finally {
          depth--;
        }
      }
      return object("$ref", DEFS_PREFIX + name);
    }

    Map<String, Object> schema(Type type, Map<TypeVariable<?>, Bound> env) {
      if (type instanceof TypeVariable<?> variable) {
        Bound bound = env.get(variable);
        return bound != null ? schema(bound.type(), bound.env()) : schema(variable.getBounds()[0], Map.of());
      }
      if (type instanceof WildcardType wildcard) {
        return schema(wildcard.getUpperBounds()[0], env);
      }
      SchemaProvider.Context context = new SchemaProvider.Context() {
        @Override
        public Map<String, Object> schema(Type other) {
          return Builder.this.schema(other, env);
        }

        @Override
        public Map<String, Object> ref(Object key, String name, Consumer<Map<String, Object>> define) {
          return Builder.this.ref(key, name, define);
        }
      };
      for (SchemaProvider provider : providers) {
        Map<String, Object> schema = provider.schema(type, context);
        if (schema != null) {
          return schema;
        }
      }
      if (type instanceof GenericArrayType array) {
        return object("type", "array", "items", schema(array.getGenericComponentType(), env));
      }
      Class<?> raw = ServiceDescriptor.rawClass(type);
      Map<String, Object> scalar = scalar(raw);
      if (scalar != null) {
        return scalar;
      }
      if (raw.isArray()) {
        if (raw == byte[].class) {
          return object("type", "string", "contentEncoding", "base64");
        }
        return object("type", "array", "items", schema(raw.getComponentType(), env));
      }
      if (raw == Optional.class) {
        return schema(argument(type, 0), env);
      }
      if (Collection.class.isAssignableFrom(raw)) {
        Map<String, Object> schema = object("type", "array", "items", schema(argument(type, 0), env));
        if (Set.class.isAssignableFrom(raw)) {
          schema.put("uniqueItems", true);
        }
        return schema;
      }
      if (Map.class.isAssignableFrom(raw)) {
        Map<String, Object> schema = object("type", "object");
        Map<String, Object> keys = keySchema(ServiceDescriptor.rawClass(resolve(argument(type, 0), env)));
        if (keys != null) {
          schema.put("propertyNames", keys);
        }
        schema.put("additionalProperties", schema(argument(type, 1), env));
        return schema;
      }
      if (raw.isEnum()) {
        List<Object> names = new ArrayList<>();
        for (Object constant : raw.getEnumConstants()) {
          names.add(((Enum<?>) constant).name());
        }
        return object("type", "string", "enum", names);
      }
      if (raw == Object.class) {
        return new LinkedHashMap<>();
      }
      if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
        return object("type", "object", "description", "an implementation of " + raw.getName()
            + " (the json serializer reads only concrete classes)");
      }
      if (raw.isPrimitive() || raw.getName().startsWith("java.") || raw.getName().startsWith("javax.")) {
        return object("description", "a " + raw.getName() + " as the json serializer writes it");
      }
      Map<TypeVariable<?>, Bound> own = bindings(type, raw, env);
      return ref(key(type, env, true), key(type, env, false), definition -> {
        definition.put("type", "object");
        definition.put("title", raw.getSimpleName());
        definition.put("properties", properties(raw, own));
      });
    }

    /** The bindings of {@code raw}'s type variables and those of its superclasses, read in {@code env}. */
    private static Map<TypeVariable<?>, Bound> bindings(Type type, Class<?> raw, Map<TypeVariable<?>, Bound> env) {
      Map<TypeVariable<?>, Bound> own = new HashMap<>();
      if (type instanceof ParameterizedType pt) {
        bind(raw, pt, env, own);
      }
      for (Class<?> c = raw; c.getSuperclass() != null; c = c.getSuperclass()) {
        if (c.getGenericSuperclass() instanceof ParameterizedType pt) {
          bind(c.getSuperclass(), pt, Map.copyOf(own), own);
        }
      }
      return own;
    }

    private static void bind(Class<?> raw, ParameterizedType pt, Map<TypeVariable<?>, Bound> env,
        Map<TypeVariable<?>, Bound> into) {
      TypeVariable<?>[] variables = raw.getTypeParameters();
      Type[] arguments = pt.getActualTypeArguments();
      for (int i = 0; i < variables.length && i < arguments.length; i++) {
        Type argument = arguments[i];
        Bound bound = argument instanceof TypeVariable<?> v && env.containsKey(v) ? env.get(v)
            : new Bound(argument, env);
        into.put(variables[i], bound);
      }
    }

    /** Record components in order; else fields (superclasses first, any access), then public getters. */
    private Map<String, Object> properties(Class<?> raw, Map<TypeVariable<?>, Bound> env) {
      Map<String, Object> properties = new LinkedHashMap<>();
      if (raw.isRecord()) {
        for (RecordComponent component : raw.getRecordComponents()) {
          properties.put(component.getName(), schema(component.getGenericType(), env));
        }
        return properties;
      }
      Deque<Class<?>> hierarchy = new ArrayDeque<>();
      for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) {
        hierarchy.push(c);
      }
      for (Class<?> c : hierarchy) {
        for (Field field : c.getDeclaredFields()) {
          int modifiers = field.getModifiers();
          if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
            properties.putIfAbsent(field.getName(), schema(field.getGenericType(), env));
          }
        }
      }
      List<Method> getters = new ArrayList<>();
      for (Method m : raw.getMethods()) {
        if (!Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0 && !m.isBridge()
            && !m.isSynthetic() && m.getDeclaringClass() != Object.class && propertyName(m) != null) {
          getters.add(m);
        }
      }
      getters.sort((a, b) -> a.getName().compareTo(b.getName()));
      for (Method getter : getters) {
        String name = propertyName(getter);
        if (!properties.containsKey(name)) {
          properties.put(name, schema(getter.getGenericReturnType(), env));
        }
      }
      return properties;
    }
  }

  /** The property a bean getter reads ({@code getName} and, for {@code boolean}, {@code isActive}), or null. */
  private static String propertyName(Method m) {
    String name = m.getName();
    String rest;
    if (name.startsWith("get") && name.length() > 3 && m.getReturnType() != void.class) {
      rest = name.substring(3);
    } else if (name.startsWith("is") && name.length() > 2 && m.getReturnType() == boolean.class) {
      rest = name.substring(2);
    } else {
      return null;
    }
    if (!Character.isUpperCase(rest.charAt(0))) {
      return null;
    }
    // as Jackson: the leading upper-case letters in lower case (getURL -> url, getName -> name)
    StringBuilder sb = new StringBuilder(rest);
    for (int i = 0; i < sb.length() && Character.isUpperCase(sb.charAt(i)); i++) {
      sb.setCharAt(i, Character.toLowerCase(sb.charAt(i)));
    }
    return sb.toString();
  }

  private static Type argument(Type type, int index) {
    if (type instanceof ParameterizedType pt && pt.getActualTypeArguments().length > index) {
      return pt.getActualTypeArguments()[index];
    }
    return Object.class;
  }

  private static Type resolve(Type type, Map<TypeVariable<?>, Bound> env) {
    if (type instanceof TypeVariable<?> v && env.containsKey(v)) {
      Bound bound = env.get(v);
      return resolve(bound.type(), bound.env());
    }
    return type;
  }

  /** {@code propertyNames} of a map whose keys are {@code key}s, or null for strings and anything else. */
  private static Map<String, Object> keySchema(Class<?> key) {
    if (key.isEnum()) {
      List<Object> names = new ArrayList<>();
      for (Object constant : key.getEnumConstants()) {
        names.add(((Enum<?>) constant).name());
      }
      return object("enum", names);
    }
    if (key == Integer.class || key == Long.class || key == Short.class || key == Byte.class
        || key == BigInteger.class) {
      return object("pattern", "^-?[0-9]+$");
    }
    if (key == UUID.class) {
      return object("format", "uuid");
    }
    return null;
  }

  /** The schemas of plain values, or null. */
  private static Map<String, Object> scalar(Class<?> c) {
    if (c == boolean.class || c == Boolean.class) {
      return object("type", "boolean");
    }
    if (c == int.class || c == Integer.class) {
      return object("type", "integer", "format", "int32", "minimum", Integer.MIN_VALUE, "maximum", Integer.MAX_VALUE);
    }
    if (c == long.class || c == Long.class) {
      return object("type", "integer", "format", "int64", "minimum", Long.MIN_VALUE, "maximum", Long.MAX_VALUE);
    }
    if (c == short.class || c == Short.class) {
      return object("type", "integer", "minimum", (int) Short.MIN_VALUE, "maximum", (int) Short.MAX_VALUE);
    }
    if (c == byte.class || c == Byte.class) {
      return object("type", "integer", "minimum", (int) Byte.MIN_VALUE, "maximum", (int) Byte.MAX_VALUE);
    }
    if (c == BigInteger.class || c == OptionalInt.class || c == OptionalLong.class) {
      return object("type", "integer");
    }
    if (c == float.class || c == Float.class) {
      return object("type", "number", "format", "float");
    }
    if (c == double.class || c == Double.class) {
      return object("type", "number", "format", "double");
    }
    if (c == BigDecimal.class || c == Number.class || c == OptionalDouble.class) {
      return object("type", "number");
    }
    if (c == char.class || c == Character.class) {
      return object("type", "string", "minLength", 1, "maxLength", 1);
    }
    if (c == String.class || c == CharSequence.class) {
      return object("type", "string");
    }
    if (c == void.class || c == Void.class) {
      return object("type", "null");
    }
    if (c == UUID.class) {
      return object("type", "string", "format", "uuid");
    }
    if (c == URI.class || c == URL.class) {
      return object("type", "string", "format", "uri");
    }
    if (c == Instant.class || c == OffsetDateTime.class || c == ZonedDateTime.class || c == Date.class) {
      return object("type", "string", "format", "date-time");
    }
    if (c == LocalDate.class) {
      return object("type", "string", "format", "date");
    }
    if (c == OffsetTime.class) {
      return object("type", "string", "format", "time");
    }
    if (c == Duration.class || c == Period.class) {
      return object("type", "string", "format", "duration");
    }
    if (c == LocalDateTime.class) {
      return object("type", "string",
          "pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?$",
          "examples", List.of("2024-01-02T03:04:05"));
    }
    if (c == LocalTime.class) {
      return object("type", "string", "pattern", "^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?$",
          "examples", List.of("03:04:05"));
    }
    if (c == YearMonth.class) {
      return object("type", "string", "pattern", "^-?[0-9]{4,}-[0-9]{2}$", "examples", List.of("2024-01"));
    }
    if (ZoneId.class.isAssignableFrom(c)) {
      return object("type", "string", "examples", List.of("Z"));
    }
    if (c == Locale.class) {
      return object("type", "string", "examples", List.of("en-GB"));
    }
    return null;
  }

  /** {@code Page<User>} as {@code io.acme.Page<io.acme.User>} (a key) or {@code Page<User>} (a name). */
  private static String key(Type type, Map<TypeVariable<?>, Bound> env, boolean full) {
    if (type instanceof Class<?> c) {
      return c.isArray() ? key(c.getComponentType(), env, full) + "[]" : full ? c.getName() : c.getSimpleName();
    }
    if (type instanceof ParameterizedType pt) {
      StringBuilder sb = new StringBuilder(key(pt.getRawType(), env, full)).append('<');
      Type[] arguments = pt.getActualTypeArguments();
      for (int i = 0; i < arguments.length; i++) {
        sb.append(i == 0 ? "" : ",").append(key(arguments[i], env, full));
      }
      return sb.append('>').toString();
    }
    if (type instanceof GenericArrayType array) {
      return key(array.getGenericComponentType(), env, full) + "[]";
    }
    if (type instanceof TypeVariable<?> v && env.containsKey(v)) {
      Bound bound = env.get(v);
      return key(bound.type(), bound.env(), full);
    }
    return "Object";
  }

  /** A name usable in {@code $defs} and in a URI fragment: {@code Page<User>} becomes {@code Page_User}. */
  private static String sanitize(String name) {
    String s = name.replace("[]", "Array").replaceAll("[^A-Za-z0-9_.-]+", "_").replaceAll("_+$", "");
    return s.isEmpty() ? "Type" : s;
  }

  /** An insertion-ordered map of these keys and values. */
  static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  // ---- examples ----

  /** Builds an example of one document, following its {@code $ref}s into its {@code $defs}. */
  private static final class Examples {
    static final Object MISSING = new Object();

    final Map<String, Object> defs;
    final Set<String> building = new HashSet<>();

    @SuppressWarnings("unchecked")
    Examples(Map<String, Object> root) {
      Object defs = root.get("$defs");
      this.defs = defs instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    Object of(Object node) {
      if (!(node instanceof Map<?, ?>)) {
        return null;
      }
      Map<String, Object> schema = (Map<String, Object>) node;
      if (schema.get("examples") instanceof List<?> examples && !examples.isEmpty()) {
        return examples.get(0);
      }
      if (schema.containsKey("const")) {
        return schema.get("const");
      }
      if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
        return values.get(0);
      }
      if (schema.get("$ref") instanceof String ref && ref.startsWith(DEFS_PREFIX)) {
        String name = ref.substring(DEFS_PREFIX.length());
        if (!building.add(name)) {
          return MISSING;
        }
        try {
          return of(defs.get(name));
        } finally {
          building.remove(name);
        }
      }
      Object type = schema.get("type");
      if (type instanceof List<?> types) {
        type = "null";
        for (Object t : types) {
          if (!"null".equals(t)) {
            type = t;
            break;
          }
        }
      }
      if (type == null) {
        return null;
      }
      switch ((String) type) {
        case "object": {
          Map<String, Object> value = new LinkedHashMap<>();
          if (schema.get("properties") instanceof Map<?, ?> properties) {
            Set<Object> groups = new HashSet<>();
            for (Map.Entry<?, ?> property : properties.entrySet()) {
              Object group = property.getValue() instanceof Map<?, ?> p ? p.get(ONE_OF_GROUP) : null;
              if (group != null && !groups.add(group)) {
                continue;
              }
              Object example = of(property.getValue());
              if (example != MISSING) {
                value.put(String.valueOf(property.getKey()), example);
              }
            }
          } else if (schema.get("additionalProperties") instanceof Map<?, ?> values) {
            Object example = of(values);
            if (example != MISSING) {
              value.put(exampleKey(schema.get("propertyNames")), example);
            }
          }
          return value;
        }
        case "array": {
          Object item = of(schema.get("items"));
          List<Object> value = new ArrayList<>();
          if (item != MISSING) {
            value.add(item);
          }
          return value;
        }
        case "string":
          return exampleString(schema);
        case "integer":
          return schema.get("minimum") instanceof Number min && min.longValue() > 0 ? min : 0;
        case "number":
          return 0.0;
        case "boolean":
          return false;
        default:
          return null;
      }
    }

    private static String exampleKey(Object propertyNames) {
      if (propertyNames instanceof Map<?, ?> names) {
        if (names.get("enum") instanceof List<?> values && !values.isEmpty()) {
          return String.valueOf(values.get(0));
        }
        if (names.containsKey("pattern")) {
          return "0";
        }
        if ("uuid".equals(names.get("format"))) {
          return "3fa85f64-5717-4562-b3fc-2c963f66afa6";
        }
      }
      return "key";
    }

    private static String exampleString(Map<String, Object> schema) {
      if (schema.containsKey("contentEncoding")) {
        return "";
      }
      Object format = schema.get("format");
      if (format == null) {
        return "string";
      }
      return switch (String.valueOf(format)) {
        case "date-time" -> "2024-01-02T03:04:05Z";
        case "date" -> "2024-01-02";
        case "time" -> "03:04:05Z";
        case "duration" -> "PT1S";
        case "uuid" -> "3fa85f64-5717-4562-b3fc-2c963f66afa6";
        case "uri" -> "https://example.com/";
        default -> "string";
      };
    }
  }
}
