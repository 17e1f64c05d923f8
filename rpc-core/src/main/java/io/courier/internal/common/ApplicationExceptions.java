package io.courier.internal.common;

import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.RpcException;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.serialization.SerializationException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Carries exceptions thrown by service code to the caller without serializing them: the server sends status
 * {@code UNKNOWN}, the message as description and the exception's class name in the
 * {@value #EXCEPTION_CLASS_KEY} trailer. The client rebuilds an exception of that class when the class is on
 * its class path, is declared by the method (or a subclass of one it declares) or is an unchecked exception of the JDK
 * or of the service's own package (or one below it), and has a {@code (String)} or no-argument constructor; otherwise
 * the caller gets the {@link RpcException}. The class is loaded without running its static initializer, and only
 * classes that pass are constructed. Generic calls ({@link MethodDescriptor#isGeneric()}) always get the
 * {@link RpcException}.
 */
public final class ApplicationExceptions {

  /** Trailer naming the class of an exception thrown by service code. */
  public static final String EXCEPTION_CLASS_KEY = "courier-exception";

  private static final Metadata.Key<String> EXCEPTION_CLASS = Metadata.Key.of(EXCEPTION_CLASS_KEY);
  private static final int MAX_DESCRIPTION = 4096;

  private ApplicationExceptions() {}

  /** Whether a failure is an application exception (which must never be retried as a transport failure). */
  public static boolean isApplicationException(Throwable failure) {
    Throwable t = Status.unwrap(failure);
    if (t instanceof RpcException rpc) {
      return rpc.trailers().containsKey(EXCEPTION_CLASS);
    }
    return t != null && !(t instanceof RpcException);
  }

  /** The status and trailers a server sends for a failed call. */
  public static RpcException toRpcException(Throwable failure, MethodDescriptor method) {
    Throwable t = Status.unwrap(failure);
    if (t instanceof RpcException rpc) {
      return rpc;
    }
    if (t instanceof SerializationException) {
      return Status.INTERNAL.withDescription("could not encode the result of " + method.fullName() + ": "
          + t.getMessage()).withCause(t).asException();
    }
    if (t instanceof Error) {
      return Status.INTERNAL.withDescription(method.fullName() + " failed with " + t).withCause(t).asException();
    }
    String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    if (message.length() > MAX_DESCRIPTION) {
      message = message.substring(0, MAX_DESCRIPTION) + "...";
    }
    return Status.UNKNOWN.withDescription(message).withCause(t)
        .asException(Metadata.EMPTY.with(EXCEPTION_CLASS, t.getClass().getName()));
  }

  /**
   * What a stub throws for a failed call: a rebuilt application exception where possible, else the
   * {@link RpcException} (or whatever else failed locally).
   */
  public static Throwable toCallerException(Throwable failure, MethodDescriptor method) {
    Throwable t = Status.unwrap(failure);
    if (!(t instanceof RpcException rpc)) {
      return t instanceof Exception || t instanceof Error ? t : Status.fromThrowable(t).asException();
    }
    if (rpc.code() != StatusCode.UNKNOWN || method.isGeneric()) {
      return rpc; // a generic caller gets the RpcException, with the class name in its trailers, whatever the class
    }
    String className = rpc.trailers().get(EXCEPTION_CLASS);
    if (className == null) {
      return rpc;
    }
    Exception rebuilt = rebuild(className, rpc.status().description(), method);
    return rebuilt == null ? rpc : rebuilt;
  }

  private static Exception rebuild(String className, String message, MethodDescriptor method) {
    Class<?> type;
    try {
      ClassLoader loader = method.service().type().getClassLoader();
      type = Class.forName(className, false, loader != null ? loader : ClassLoader.getSystemClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
    if (!Exception.class.isAssignableFrom(type) || !isThrowableFrom(type, method)) {
      return null;
    }
    try {
      try {
        Constructor<?> withMessage = type.getConstructor(String.class);
        return (Exception) withMessage.newInstance(message);
      } catch (NoSuchMethodException e) {
        Constructor<?> noArgs = type.getConstructor();
        return (Exception) noArgs.newInstance();
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether the caller may see {@code type} rebuilt: one the method declares (or a subclass), or an unchecked one of
   * the JDK ({@code java.*}, {@code javax.*}) or of the service's own API (the service interface's package or one below
   * it). Any other class a server names is not constructed: constructing runs its static initializer and constructor,
   * which a hostile server (or one reached in cleartext through a man in the middle) must not choose among every class
   * on the caller's class path.
   */
  private static boolean isThrowableFrom(Class<?> type, MethodDescriptor method) {
    for (Class<?> declared : method.method().getExceptionTypes()) {
      if (declared.isAssignableFrom(type)) {
        return true;
      }
    }
    if (!RuntimeException.class.isAssignableFrom(type)) {
      return false;
    }
    String name = type.getName();
    if (name.startsWith("java.") || name.startsWith("javax.")) {
      return true;
    }
    String api = method.service().type().getPackageName();
    String pkg = type.getPackageName();
    return pkg.equals(api) || !api.isEmpty() && pkg.startsWith(api + ".");
  }

  /** Unwraps {@link InvocationTargetException} from reflective calls. */
  public static Throwable unwrapInvocation(Throwable t) {
    return t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
  }
}
