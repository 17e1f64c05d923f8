package io.courier.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as a Courier service. Servers export implementations of it; clients get stubs for it
 * with {@code RpcClient.create(Class)}.
 *
 * <pre>{@code
 * @RpcService
 * public interface UserService {
 *   User getUser(long id);
 *   CompletableFuture<Boolean> existUser(String email);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RpcService {

  /**
   * The service name on the wire and in the registry; defaults to the interface's fully qualified name. A
   * gRPC service is addressed by its full proto name, for example {@code "grpc.testing.TestService"}.
   */
  String name() default "";

  /** Optional version; consumers only see providers of the same version. */
  String version() default "";

  /** Optional group; consumers only see providers of the same group. */
  String group() default "";
}
