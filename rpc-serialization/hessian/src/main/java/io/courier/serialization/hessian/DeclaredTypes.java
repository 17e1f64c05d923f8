package io.courier.serialization.hessian;

import io.courier.serialization.SerializationException;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks that a value hessian has read has its declared type all the way down. Hessian's reader builds
 * collections, maps and {@code Object} fields from whatever the bytes say, whatever the declared element types:
 * a {@code List<Integer>} parameter would take a list of lists, and a {@code Page<User>} a page of strings, and the
 * service would find out with a {@code ClassCastException}, or never. This check refuses such a value before the
 * service sees it: every element of a declared {@code Collection<E>}, every key and value of a {@code Map<K, V>},
 * every element of an array, and every field of a model class whose declared type hessian's own field assignment
 * does not enforce (a type variable, or a parameterized type), recursively, with type variables resolved
 * ({@code Page<User>}'s {@code List<T> result} is checked as a {@code List<User>}). {@code Object}, wildcards and
 * unbounded type variables accept anything (the {@link io.courier.serialization.ReadBudget} still bounds it).
 *
 * <p>One {@link Check} per declared type, built once and cached; a check costs one pass over the value (over each
 * shared part once per kind of check, when the value holds back-references). A field of a model class holding a
 * subclass is checked as that subclass. Thread-safe.
 */
final class DeclaredTypes {

  /** Deeper generic nesting than this, which only self-expanding types reach, is not checked further. */
  private static final int MAX_TYPE_DEPTH = 32;

  private final Map<Type, Check> checks = new ConcurrentHashMap<>();
  private final Map<Type, Node> nodes = new ConcurrentHashMap<>();

  /** The check for values declared as {@code type}. */
  Check of(Type type) {
    Check check = checks.get(type);
    if (check == null) {
      check = new Check(type, node(type), expectedTypes(type));
      checks.put(type, check);
    }
    return check;
  }

  /** The check of one declared type, and the element types hessian's reader can be told. */
  static final class Check {
    private final Type declared;
    private final Node node;
    private final Class<?>[] expectedTypes;

    private Check(Type declared, Node node, Class<?>[] expectedTypes) {
      this.declared = declared;
      this.node = node;
      this.expectedTypes = expectedTypes;
    }

    /**
     * The element classes of a declared collection (one) or map (two) to pass to hessian's
     * {@code readObject(Class, Class...)}, which reads the elements of a list or map as them (so that a
     * {@code List<Short>} holds shorts); {@code null} for other types.
     */
    Class<?>[] expectedTypes() {
      return expectedTypes;
    }

    /**
     * Checks a value read as the declared type, whose top-level class the caller has checked.
     *
     * @param shared whether the value was read with back-references, so that parts of it may be reached twice
     * @throws SerializationException naming what was read and what was declared
     */
    void check(Object value, boolean shared) {
      if (value != null && node != ANY) {
        node.check(value, new Walk(declared, shared));
      }
    }
  }

  // ---------------------------------------------------------------- building checks

  private Node node(Type type) {
    Node node = nodes.get(type);
    if (node == null) {
      Map<Type, Node> building = new HashMap<>();
      node = build(type, building, 0);
      nodes.putAll(building); // complete now: every placeholder in them points at its node
    }
    return node;
  }

  private Node build(Type type, Map<Type, Node> building, int depth) {
    Node known = nodes.get(type);
    if (known == null) {
      known = building.get(type);
    }
    if (known != null) {
      return known;
    }
    if (depth > MAX_TYPE_DEPTH) {
      return ANY;
    }
    Class<?> raw = rawClass(type);
    if (raw == Object.class) {
      return ANY;
    }
    Deferred deferred = new Deferred();
    building.put(type, deferred); // for recursive types: Node { List<Node> children; }
    Node inner;
    if (raw.isArray()) {
      Type component = type instanceof GenericArrayType array ? array.getGenericComponentType()
          : raw.getComponentType();
      Node element = raw.getComponentType().isPrimitive() ? ANY : build(component, building, depth + 1);
      inner = element == ANY ? null : new Elements(element);
    } else if (Collection.class.isAssignableFrom(raw)) {
      Node element = build(supertypeArgument(type, Collection.class, 0), building, depth + 1);
      inner = element == ANY ? null : new Elements(element);
    } else if (Map.class.isAssignableFrom(raw)) {
      Node key = build(supertypeArgument(type, Map.class, 0), building, depth + 1);
      Node value = build(supertypeArgument(type, Map.class, 1), building, depth + 1);
      inner = key == ANY && value == ANY ? null : new Entries(key, value);
    } else if (isModelClass(raw)) {
      inner = fields(type, raw, building, depth);
    } else {
      inner = null;
    }
    Node node = new Instance(wrap(raw), type.getTypeName(), inner, isModelClass(raw) ? this : null);
    deferred.target = node;
    building.put(type, node);
    return node;
  }

  /** The checks of the fields of a model class that hessian's field assignment does not already make. */
  private Node fields(Type type, Class<?> raw, Map<Type, Node> building, int depth) {
    List<Field> fields = new ArrayList<>();
    List<Node> checks = new ArrayList<>();
    Map<TypeVariable<?>, Type> bindings = bindings(type);
    for (Class<?> c = raw; c != null && isModelClass(c); c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.getType().isPrimitive()) {
          continue;
        }
        Type fieldType = resolve(field.getGenericType(), bindings);
        Node check = build(fieldType, building, depth + 1);
        // hessian assigns fields with Field.set, which checks the field's class: only more than that needs a check
        if (check != ANY && !(fieldType == field.getType() && isLeaf(field.getType()))) {
          try {
            field.setAccessible(true);
          } catch (RuntimeException e) {
            continue; // hessian could not have set it either
          }
          fields.add(field);
          checks.add(check);
        }
      }
      Type superclass = c.getGenericSuperclass();
      if (superclass != null) {
        bindings = bindings(resolve(superclass, bindings));
      }
    }
    return fields.isEmpty() ? null : new Fields(fields.toArray(new Field[0]), checks.toArray(new Node[0]));
  }

  /** A check of a model class for a value of a subclass: its own fields, its type variables unresolved. */
  private Node forRuntimeClass(Class<?> type) {
    return node(type);
  }

  /** Classes whose declared type is all there is to check: no elements, no fields that need checking. */
  private static boolean isLeaf(Class<?> type) {
    return !type.isArray() && !Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)
        && !isModelClass(type);
  }

  /** A user's class, whose fields hessian sets: not the JDK's, not an enum, not an interface. */
  private static boolean isModelClass(Class<?> type) {
    String name = type.getName();
    return !type.isInterface() && !type.isEnum() && !type.isArray() && !type.isPrimitive()
        && !Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)
        && !name.startsWith("java.") && !name.startsWith("javax.") && !name.startsWith("jdk.")
        && !name.startsWith("sun.") && !name.startsWith("com.sun.");
  }

  private static Class<?>[] expectedTypes(Type type) {
    Class<?> raw = rawClass(type);
    if (Collection.class.isAssignableFrom(raw)) {
      Class<?> element = rawClass(supertypeArgument(type, Collection.class, 0));
      return element == Object.class ? null : new Class<?>[] {element};
    }
    if (Map.class.isAssignableFrom(raw)) {
      Class<?> key = rawClass(supertypeArgument(type, Map.class, 0));
      Class<?> value = rawClass(supertypeArgument(type, Map.class, 1));
      return key == Object.class && value == Object.class ? null : new Class<?>[] {key, value};
    }
    return null;
  }

  // ---------------------------------------------------------------- generic types

  /** The type {@code type} gives to type parameter {@code index} of its supertype {@code target}. */
  static Type supertypeArgument(Type type, Class<?> target, int index) {
    Class<?> raw = rawClass(type);
    if (raw == target) {
      return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }
    Map<TypeVariable<?>, Type> bindings = bindings(type);
    List<Type> supertypes = new ArrayList<>(Arrays.asList(raw.getGenericInterfaces()));
    if (raw.getGenericSuperclass() != null) {
      supertypes.add(raw.getGenericSuperclass());
    }
    for (Type supertype : supertypes) {
      if (target.isAssignableFrom(rawClass(supertype))) {
        return supertypeArgument(resolve(supertype, bindings), target, index);
      }
    }
    return Object.class;
  }

  /** What the type parameters of {@code type}'s class stand for in it (nothing for a raw class). */
  private static Map<TypeVariable<?>, Type> bindings(Type type) {
    if (!(type instanceof ParameterizedType p)) {
      return Map.of();
    }
    TypeVariable<?>[] parameters = rawClass(p).getTypeParameters();
    Type[] arguments = p.getActualTypeArguments();
    Map<TypeVariable<?>, Type> bindings = new HashMap<>();
    for (int i = 0; i < parameters.length && i < arguments.length; i++) {
      bindings.put(parameters[i], arguments[i]);
    }
    return bindings;
  }

  /** {@code type} with the type variables in {@code bindings} replaced. */
  static Type resolve(Type type, Map<TypeVariable<?>, Type> bindings) {
    if (type instanceof TypeVariable<?> variable) {
      Type bound = bindings.get(variable);
      return bound != null ? bound : variable;
    }
    if (type instanceof ParameterizedType p) {
      Type[] arguments = p.getActualTypeArguments().clone();
      boolean changed = false;
      for (int i = 0; i < arguments.length; i++) {
        Type resolved = resolve(arguments[i], bindings);
        changed |= resolved != arguments[i];
        arguments[i] = resolved;
      }
      return changed ? new Parameterized((Class<?>) p.getRawType(), arguments, p.getOwnerType()) : p;
    }
    if (type instanceof GenericArrayType array) {
      Type component = resolve(array.getGenericComponentType(), bindings);
      if (component instanceof Class<?> c) {
        return c.arrayType();
      }
      return component == array.getGenericComponentType() ? array : new GenericArray(component);
    }
    if (type instanceof WildcardType wildcard) {
      Type[] upper = wildcard.getUpperBounds();
      return upper.length == 0 ? Object.class : resolve(upper[0], bindings);
    }
    return type;
  }

  static Class<?> rawClass(Type type) {
    return HessianSerializer.rawClass(type);
  }

  private static Class<?> wrap(Class<?> type) {
    return HessianSerializer.wrap(type);
  }

  /** A parameterized type made by resolving type variables; equal to the JDK's own with the same parts. */
  private record Parameterized(Class<?> raw, Type[] arguments, Type owner) implements ParameterizedType {
    @Override
    public Type[] getActualTypeArguments() {
      return arguments.clone();
    }

    @Override
    public Type getRawType() {
      return raw;
    }

    @Override
    public Type getOwnerType() {
      return owner;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParameterizedType p && raw.equals(p.getRawType()) && Objects.equals(owner, p.getOwnerType())
          && Arrays.equals(arguments, p.getActualTypeArguments());
    }

    @Override
    public int hashCode() { // as the JDK's, so that both find the same cached check
      return Arrays.hashCode(arguments) ^ Objects.hashCode(owner) ^ Objects.hashCode(raw);
    }

    @Override
    public String toString() {
      return getTypeName();
    }

    @Override
    public String getTypeName() {
      StringBuilder name = new StringBuilder(raw.getName()).append('<');
      for (int i = 0; i < arguments.length; i++) {
        name.append(i == 0 ? "" : ", ").append(arguments[i].getTypeName());
      }
      return name.append('>').toString();
    }
  }

  private record GenericArray(Type component) implements GenericArrayType {
    @Override
    public Type getGenericComponentType() {
      return component;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof GenericArrayType a && component.equals(a.getGenericComponentType());
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(component);
    }

    @Override
    public String getTypeName() {
      return component.getTypeName() + "[]";
    }
  }

  // ---------------------------------------------------------------- checking values

  /** One check of one value: where it started, and what it has seen if parts can be reached twice. */
  private static final class Walk {
    final Type root;
    final Map<Node, Set<Object>> seen;

    Walk(Type root, boolean shared) {
      this.root = root;
      this.seen = shared ? new HashMap<>() : null;
    }

    /** Whether {@code node} has not checked {@code value} yet (always, for a tree). */
    boolean first(Node node, Object value) {
      return seen == null
          || seen.computeIfAbsent(node, n -> Collections.newSetFromMap(new IdentityHashMap<>())).add(value);
    }

    SerializationException mismatch(Object value, String declared) {
      return new SerializationException("hessian read a " + value.getClass().getName() + " where " + declared
          + " was declared, in a value declared as " + root.getTypeName());
    }
  }

  /** Checks a non-null value. */
  private abstract static class Node {
    abstract void check(Object value, Walk walk);
  }

  /** Accepts anything. */
  private static final Node ANY = new Node() {
    @Override
    void check(Object value, Walk walk) {}
  };

  /** Stands for a node still being built (a recursive type). */
  private static final class Deferred extends Node {
    Node target;

    @Override
    void check(Object value, Walk walk) {
      target.check(value, walk);
    }
  }

  /** The value's class, then what is inside it. */
  private static final class Instance extends Node {
    private final Class<?> type;
    private final String declared;
    private final Node inner;
    private final DeclaredTypes subclasses; // set for model classes: a subclass is checked as itself

    Instance(Class<?> type, String declared, Node inner, DeclaredTypes subclasses) {
      this.type = type;
      this.declared = declared;
      this.inner = inner;
      this.subclasses = subclasses;
    }

    @Override
    void check(Object value, Walk walk) {
      Class<?> actual = value.getClass();
      if (actual == type) {
        if (inner != null) {
          inner.check(value, walk);
        }
      } else if (!type.isInstance(value)) {
        throw walk.mismatch(value, declared);
      } else if (subclasses != null && isModelClass(actual)) {
        subclasses.forRuntimeClass(actual).check(value, walk);
      } else if (inner != null) {
        inner.check(value, walk);
      }
    }
  }

  /** Each element of a collection or an array. */
  private static final class Elements extends Node {
    private final Node element;

    Elements(Node element) {
      this.element = element;
    }

    @Override
    void check(Object value, Walk walk) {
      if (!walk.first(this, value)) {
        return;
      }
      if (value instanceof Collection<?> collection) {
        for (Object e : collection) {
          if (e != null) {
            element.check(e, walk);
          }
        }
      } else if (value instanceof Object[] array) {
        for (Object e : array) {
          if (e != null) {
            element.check(e, walk);
          }
        }
      } else if (value.getClass().isArray()) {
        for (int i = 0, n = Array.getLength(value); i < n; i++) {
          Object e = Array.get(value, i);
          if (e != null) {
            element.check(e, walk);
          }
        }
      }
    }
  }

  /** Each key and value of a map. */
  private static final class Entries extends Node {
    private final Node key;
    private final Node value;

    Entries(Node key, Node value) {
      this.key = key;
      this.value = value;
    }

    @Override
    void check(Object map, Walk walk) {
      if (!(map instanceof Map<?, ?> entries) || !walk.first(this, map)) {
        return;
      }
      for (Map.Entry<?, ?> entry : entries.entrySet()) {
        if (entry.getKey() != null) {
          key.check(entry.getKey(), walk);
        }
        if (entry.getValue() != null) {
          value.check(entry.getValue(), walk);
        }
      }
    }
  }

  /** The fields of a model class that need a check. */
  private static final class Fields extends Node {
    private final Field[] fields;
    private final Node[] checks;

    Fields(Field[] fields, Node[] checks) {
      this.fields = fields;
      this.checks = checks;
    }

    @Override
    void check(Object value, Walk walk) {
      if (!walk.first(this, value)) {
        return;
      }
      for (int i = 0; i < fields.length; i++) {
        Object fieldValue;
        try {
          fieldValue = fields[i].get(value);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("field " + fields[i] + " was made accessible", e);
        }
        if (fieldValue != null) {
          checks[i].check(fieldValue, walk);
        }
      }
    }
  }
}
