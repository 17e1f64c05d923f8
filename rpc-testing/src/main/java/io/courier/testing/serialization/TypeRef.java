package io.courier.testing.serialization;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/** Captures a generic type: {@code new TypeRef<Page<User>>() {}.type()}. */
public abstract class TypeRef<T> {
  private final Type type;

  protected TypeRef() {
    this.type = ((ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
  }

  public Type type() {
    return type;
  }
}
