package io.courier.serialization.hessian;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;

/** Finds live resources (streams, sockets, threads, class loaders) in a declared type; no format can carry them. */
final class UnsupportedTypes {

  private static final Class<?>[] RESOURCES = {
      AutoCloseable.class, Thread.class, ThreadGroup.class, ClassLoader.class, Class.class,
      java.util.concurrent.Executor.class, java.util.Iterator.class, java.lang.reflect.Member.class};

  private UnsupportedTypes() {}

  /** Returns the first resource class that {@code type} names, through generic arguments and arrays, or null. */
  static Class<?> find(Type type) {
    if (type instanceof Class<?> c) {
      Class<?> element = c;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      for (Class<?> resource : RESOURCES) {
        if (resource.isAssignableFrom(element)) {
          return element;
        }
      }
      return null;
    }
    if (type instanceof ParameterizedType p) {
      Class<?> found = find(p.getRawType());
      for (Type argument : p.getActualTypeArguments()) {
        found = found != null ? found : find(argument);
      }
      return found;
    }
    if (type instanceof GenericArrayType a) {
      return find(a.getGenericComponentType());
    }
    if (type instanceof WildcardType w) {
      for (Type bound : w.getUpperBounds()) {
        Class<?> found = find(bound);
        if (found != null) {
          return found;
        }
      }
    }
    return null; // type variables are checked where they are bound
  }
}
