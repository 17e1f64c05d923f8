package io.courier.spring.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.core.MethodParameter;

/** Names fields and parameters the way a reader finds them: {@code Checkout.inventory}, {@code Checkout(prices)}. */
final class InjectionPoints {

  private InjectionPoints() {}

  static String describe(DependencyDescriptor descriptor) {
    Field field = descriptor.getField();
    if (field != null) {
      return describe(field);
    }
    MethodParameter parameter = descriptor.getMethodParameter();
    return parameter == null ? descriptor.toString() : describe(parameter);
  }

  static String describe(Field field) {
    return field.getDeclaringClass().getSimpleName() + "." + field.getName();
  }

  static String describe(Method method) {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "(...)";
  }

  static String describe(MethodParameter parameter) {
    String name = parameter.getParameterName();
    String shown = name != null ? name : "#" + parameter.getParameterIndex();
    Method method = parameter.getMethod();
    return parameter.getDeclaringClass().getSimpleName() + (method == null ? "" : "." + method.getName())
        + "(" + shown + ")";
  }
}
