package io.courier.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Optional per-method settings of an {@link RpcService} method.
 *
 * <pre>{@code
 * @RpcMethod(name = "UnaryCall")
 * SimpleResponse unaryCall(SimpleRequest request);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcMethod {

  /** The method name on the wire; defaults to the Java method name. Must be unique within the service. */
  String name() default "";

  /**
   * For a method of the form {@code StreamObserver<Req> m(StreamObserver<Resp>)}, whether the peer sends a
   * single response (client streaming) rather than a stream of them (bidirectional, the default).
   */
  boolean clientStreaming() default false;
}
