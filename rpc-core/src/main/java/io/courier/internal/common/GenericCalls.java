package io.courier.internal.common;

import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.Status;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * What a server knows about generic calls ({@link io.courier.client.GenericService}): a generic client marks each
 * call with the {@value #HEADER_NAME} header, so that the server refuses a streaming method by name (a generic call
 * is unary; over http2 a streaming method would otherwise be started as a stream), names the parameters it expected
 * when the arguments do not decode, and, over REST, reads every argument from one JSON array in the body whatever
 * the method's route. Stateless.
 */
public final class GenericCalls {

  /** The request header a generic client sends with every call. */
  public static final String HEADER_NAME = "courier-generic";

  /** {@link #HEADER_NAME} as a metadata key. */
  public static final Metadata.Key<String> HEADER = Metadata.Key.of(HEADER_NAME);

  private GenericCalls() {}

  /** Whether a call with these headers was made by a generic client. */
  public static boolean isGeneric(Metadata headers) {
    return headers.containsKey(HEADER);
  }

  /**
   * The refusal of a generic call of {@code method}, or {@code null} if a generic call may call it: generic calls are
   * unary, so a streaming method is refused with {@code UNIMPLEMENTED} naming it and its kind.
   */
  public static Status refusal(MethodDescriptor method) {
    if (method.kind() == MethodKind.UNARY) {
      return null;
    }
    return Status.UNIMPLEMENTED.withDescription(method.fullName() + " is a " + method.kind()
        + " method, and generic invocation calls unary methods only (call it through a stub over http2)");
  }

  /**
   * What a generic call of {@code method} must pass, for messages: {@code a JSON array of 2 values: id (long), name
   * (String)}, with the parameter names when the service was compiled with {@code -parameters}.
   */
  public static String expectedArguments(MethodDescriptor method) {
    Type[] types = method.requestTypes();
    Method java = method.method();
    Parameter[] parameters = java != null && java.getParameterCount() == types.length ? java.getParameters() : null;
    if (types.length == 0) {
      return "no arguments (an empty JSON array)";
    }
    StringBuilder sb = new StringBuilder("a JSON array of ").append(types.length)
        .append(types.length == 1 ? " value: " : " values: ");
    for (int i = 0; i < types.length; i++) {
      String name = parameters != null && parameters[i].isNamePresent() ? parameters[i].getName() : "#" + i;
      sb.append(i == 0 ? "" : ", ").append(name).append(" (").append(typeName(types[i])).append(')');
    }
    return sb.toString();
  }

  /** {@code List<User>}, {@code int[]}: a declared type as its source reads, without packages. */
  public static String typeName(Type type) {
    if (type instanceof Class<?> c) {
      return c.isArray() ? typeName(c.getComponentType()) + "[]" : c.getSimpleName();
    }
    if (type instanceof ParameterizedType p) {
      StringBuilder sb = new StringBuilder(typeName(p.getRawType())).append('<');
      Type[] args = p.getActualTypeArguments();
      for (int i = 0; i < args.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(typeName(args[i]));
      }
      return sb.append('>').toString();
    }
    if (type instanceof GenericArrayType a) {
      return typeName(a.getGenericComponentType()) + "[]";
    }
    return type.getTypeName();
  }
}
