package io.courier.serialization.hessian;

import com.alibaba.com.caucho.hessian.io.AbstractHessianInput;
import com.alibaba.com.caucho.hessian.io.AbstractMapDeserializer;
import com.alibaba.com.caucho.hessian.io.HessianProtocolException;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a record, which hessian-lite cannot do (it would set final fields). Hessian writes a record like any
 * object, one field per component; this collects the fields by name and calls the canonical constructor.
 * Components missing from the input get {@code null} or zero; unknown fields are skipped.
 */
final class RecordDeserializer extends AbstractMapDeserializer {

  private final Class<?> type;
  private final Constructor<?> constructor;
  private final Map<String, Integer> indexByName = new HashMap<>();
  private final Class<?>[] componentTypes;

  RecordDeserializer(Class<?> type) {
    this.type = type;
    RecordComponent[] components = type.getRecordComponents();
    componentTypes = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      componentTypes[i] = components[i].getType();
      indexByName.put(components[i].getName(), i);
    }
    try {
      constructor = type.getDeclaredConstructor(componentTypes);
      constructor.setAccessible(true);
    } catch (NoSuchMethodException | RuntimeException e) {
      throw new IllegalStateException("record " + type.getName() + " has no usable canonical constructor", e);
    }
  }

  @Override
  public Class<?> getType() {
    return type;
  }

  @Override
  public Object readObject(AbstractHessianInput in, String[] fieldNames) throws IOException {
    int ref = in.addRef(null); // keeps reference numbering in step with the writer
    Object[] args = initialArguments();
    for (String name : fieldNames) {
      readField(in, name, args);
    }
    Object record = construct(args);
    in.setRef(ref, record);
    return record;
  }

  /** Hessian-lite's reader passes the field names as {@link #createFields} made them: strings. */
  @Override
  public Object readObject(AbstractHessianInput in, Object[] fields) throws IOException {
    return readObject(in, (String[]) fields);
  }

  @Override
  public Object readMap(AbstractHessianInput in) throws IOException {
    int ref = in.addRef(null);
    Object[] args = initialArguments();
    while (!in.isEnd()) {
      Object key = in.readObject();
      readField(in, key instanceof String name ? name : null, args);
    }
    in.readMapEnd();
    Object record = construct(args);
    in.setRef(ref, record);
    return record;
  }

  private void readField(AbstractHessianInput in, String name, Object[] args) throws IOException {
    Integer index = name == null ? null : indexByName.get(name);
    if (index == null) {
      in.readObject();
      return;
    }
    Object value = in.readObject(componentTypes[index]);
    if (value != null || !componentTypes[index].isPrimitive()) {
      args[index] = value;
    }
  }

  private Object[] initialArguments() {
    Object[] args = new Object[componentTypes.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = defaultValue(componentTypes[i]);
    }
    return args;
  }

  private Object construct(Object[] args) throws IOException {
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new HessianProtocolException(type.getName() + " refused its components: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      throw new HessianProtocolException(type.getName() + " cannot be built from its components: " + e, e);
    }
  }

  private static Object defaultValue(Class<?> type) {
    if (!type.isPrimitive()) {
      return null;
    } else if (type == boolean.class) {
      return false;
    } else if (type == char.class) {
      return '\0';
    } else if (type == byte.class) {
      return (byte) 0;
    } else if (type == short.class) {
      return (short) 0;
    } else if (type == int.class) {
      return 0;
    } else if (type == long.class) {
      return 0L;
    } else if (type == float.class) {
      return 0f;
    }
    return 0d;
  }
}
