package io.courier.serialization.hessian;

import com.alibaba.com.caucho.hessian.io.AbstractHessianInput;
import com.alibaba.com.caucho.hessian.io.AbstractListDeserializer;
import com.alibaba.com.caucho.hessian.io.Deserializer;
import com.alibaba.com.caucho.hessian.io.Hessian2Input;
import com.alibaba.com.caucho.hessian.io.HessianProtocolException;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads any {@link Collection}, in place of hessian-lite's {@code CollectionDeserializer}, with two differences:
 * every element that can hold other values is read through the input's {@code readObject} (hessian's reads
 * elements of an expected type through that type's deserializer directly, which would hide them from
 * {@link BudgetedHessianInput}'s accounting), and a hashed set is filled only once all its elements are read and their
 * hash codes checked by the {@link io.courier.serialization.ReadBudget}, so that elements of one hash code cannot make
 * filling it quadratic. Creates the same collections hessian's does: the class named, if it has a public no-argument
 * constructor, else a {@code TreeSet}, {@code HashSet} or {@code ArrayList} by kind. Thread-safe (stateless).
 */
final class CheckedCollectionDeserializer extends AbstractListDeserializer {

  private final Class<?> type;
  private final Constructor<?> constructor;

  /** {@code type} is the class named on the wire or declared, or {@code null} for an untyped list. */
  CheckedCollectionDeserializer(Class<?> type) {
    this.type = type;
    this.constructor = publicNoArgConstructor(type);
  }

  @Override
  public Class<?> getType() {
    return type == null ? ArrayList.class : type;
  }

  @Override
  public Object readList(AbstractHessianInput in, int length) throws IOException {
    return read(in, -1, null);
  }

  @Override
  public Object readList(AbstractHessianInput in, int length, Class<?> expectType) throws IOException {
    return read(in, -1, expectType);
  }

  @Override
  public Object readLengthList(AbstractHessianInput in, int length) throws IOException {
    return read(in, length, null);
  }

  @Override
  public Object readLengthList(AbstractHessianInput in, int length, Class<?> expectType) throws IOException {
    return read(in, length, expectType);
  }

  /** Reads {@code length} elements, or up to the end marker if {@code length} is negative. */
  private Object read(AbstractHessianInput in, int length, Class<?> expectType) throws IOException {
    Collection<Object> collection = create(length);
    in.addRef(collection); // keeps reference numbering in step with the writer
    boolean staged = isHashed(collection) && in instanceof BudgetedHessianInput;
    Collection<Object> target = staged ? new ArrayList<>(Math.max(0, length)) : collection;
    Elements elements = new Elements(in, expectType);
    if (length < 0) {
      while (!in.isEnd()) {
        target.add(elements.next());
      }
      in.readEnd();
    } else {
      for (int i = 0; i < length; i++) {
        target.add(elements.next());
      }
    }
    if (staged) {
      Object[] all = target.toArray();
      ((BudgetedHessianInput) in).budget.checkHashCodes(all, all.length);
      Collections.addAll(collection, all);
    }
    return collection;
  }

  /**
   * Reads values of one expected class: a string or a boxed primitive straight through its deserializer (as
   * hessian's own collection reader does: such a value holds no other value and no reference, and its bytes bound
   * it), anything else through the input's {@code readObject}, which charges it to the budget.
   */
  static final class Elements {
    private final AbstractHessianInput in;
    private final Class<?> type;
    private final Deserializer scalar;

    Elements(AbstractHessianInput in, Class<?> expectType) throws IOException {
      this.in = in;
      this.type = expectType == null || expectType == Object.class ? null : expectType;
      this.scalar = type != null && isScalar(type) && in instanceof Hessian2Input hessian
          ? hessian.getSerializerFactory().getDeserializer(type) : null;
    }

    Object next() throws IOException {
      if (scalar != null) {
        return scalar.readObject(in);
      }
      return type == null ? in.readObject() : in.readObject(type);
    }

    private static boolean isScalar(Class<?> type) {
      return type == String.class || type == Integer.class || type == Long.class || type == Boolean.class
          || type == Double.class || type == Float.class || type == Short.class || type == Byte.class
          || type == Character.class;
    }
  }

  @SuppressWarnings("unchecked")
  private Collection<Object> create(int length) throws IOException {
    if (type == null) {
      return new ArrayList<>(Math.max(0, length));
    }
    if (constructor != null) {
      try {
        return (Collection<Object>) constructor.newInstance();
      } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
        throw new HessianProtocolException(type.getName() + " cannot be created: " + e, e);
      }
    }
    if (SortedSet.class.isAssignableFrom(type)) {
      return new TreeSet<>();
    } else if (Set.class.isAssignableFrom(type)) {
      return new HashSet<>();
    }
    return new ArrayList<>(Math.max(0, length)); // List, Collection, and collections without a usable constructor
  }

  /** Whether the collection finds its elements by hash code: every set but the sorted and the enum ones. */
  static boolean isHashed(Collection<?> collection) {
    return collection instanceof Set<?> && !(collection instanceof SortedSet<?>) && !(collection instanceof EnumSet<?>);
  }

  static Constructor<?> publicNoArgConstructor(Class<?> type) {
    if (type == null || type.isInterface() || Modifier.isAbstract(type.getModifiers())
        || !Modifier.isPublic(type.getModifiers())) {
      return null;
    }
    try {
      return type.getConstructor();
    } catch (NoSuchMethodException | SecurityException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "CheckedCollectionDeserializer[" + getType().getName() + "]";
  }
}
