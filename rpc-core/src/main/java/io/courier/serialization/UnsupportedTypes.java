package io.courier.serialization;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Iterator;
import java.util.concurrent.Executor;

/**
 * Finds live resources (streams, sockets, threads, class loaders, executors, iterators) in a declared type: no
 * serialization format can carry them, so a {@link Serializer#unsupportedReason} refuses them before a service is
 * exported or stubbed.
 *
 * <pre>{@code
 * public String unsupportedReason(Type type) {
 *   return UnsupportedTypes.liveResourceReason("kryo", type);
 * }
 * }</pre>
 */
public final class UnsupportedTypes {

  private static final Class<?>[] RESOURCES = {
      AutoCloseable.class, Thread.class, ThreadGroup.class, ClassLoader.class, Class.class, Executor.class,
      Iterator.class, Member.class};

  private UnsupportedTypes() {}

  /**
   * Why {@code format} cannot carry {@code type}, if it names a live resource; else {@code null}.
   *
   * @param format the serializer's name, for the message ({@code "kryo"})
   */
  public static String liveResourceReason(String format, Type type) {
    Class<?> resource = find(type);
    return resource == null ? null
        : format + " cannot carry " + resource.getName() + " (a live resource, not a value); pass the data it holds"
            + " (a byte[], a String or a model class) instead";
  }

  /** Returns the first resource class that {@code type} names, through generic arguments and arrays, or null. */
  public static Class<?> find(Type type) {
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
