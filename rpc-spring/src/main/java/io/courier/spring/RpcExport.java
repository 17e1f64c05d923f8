package io.courier.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Optional: how a bean that implements {@code @RpcService} interfaces is exported. Without it every such bean is
 * exported under every such interface it implements. Put it on the bean's class or its {@code @Bean} method.
 *
 * <pre>{@code
 * @Service
 * @RpcExport(version = "2")               // registered as version 2 instead of the interface's
 * class FastGreeter implements Greeter { ... }
 *
 * @Service
 * @RpcExport(false)                       // used locally, never served
 * class LocalGreeter implements Greeter { ... }
 * }</pre>
 *
 * <p>The property {@code courier.server.excluded-beans} opts beans out by name, too. One application serves one
 * implementation of a service: calls name the service, not its version, so two versions run as two applications.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RpcExport {

  /** {@code false} keeps the bean from being exported. */
  boolean value() default true;

  /** The {@code @RpcService} interfaces to export it as; empty for all it implements. */
  Class<?>[] interfaces() default {};

  /** The version to register instead of the {@code @RpcService}'s. */
  String version() default "";

  /** The group to register instead of the {@code @RpcService}'s. */
  String group() default "";
}
