package io.courier.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a stub of an {@code @RpcService} interface, made by the application's shared {@code RpcClient}, into a
 * field, a setter, a constructor parameter or a {@code @Bean} method parameter — with options for this reference
 * only. Every attribute left empty means "the client's default" ({@code courier.client.*}, then the interface's
 * annotations); string attributes may hold {@code ${...}} placeholders. Injection points with equal attributes share
 * one stub.
 *
 * <pre>{@code
 * @Service
 * class Checkout {
 *   @RpcReference(timeout = "300ms", loadBalancer = "least-active")
 *   private Inventory inventory;
 *
 *   private final Prices prices;
 *
 *   Checkout(@RpcReference(version = "${prices.version:2}") Prices prices) {
 *     this.prices = prices;
 *   }
 * }
 * }</pre>
 *
 * <p>For stubs with default options injected like any other bean, scan the interfaces with
 * {@link EnableCourierClients}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface RpcReference {

  /** The timeout of every call, as {@code 500ms}, {@code 2s} or ISO-8601 ({@code PT2S}). */
  String timeout() default "";

  /** The load balancer by name: {@code p2c}, {@code random}, {@code round-robin}, {@code least-active}, ... */
  String loadBalancer() default "";

  /** The fault-tolerance mode, case-insensitive: {@code failover}, {@code failfast}, {@code failsafe}, ... */
  String clusterMode() default "";

  /** {@code failover}: attempts in all, the first included; 0 for the default (3). */
  int maxAttempts() default 0;

  /** Call only providers registered with this version instead of the {@code @RpcService}'s. */
  String version() default "";

  /** Call only providers registered in this group instead of the {@code @RpcService}'s. */
  String group() default "";

  /** The serializer by name ({@code kryo}, {@code json}, ...) instead of {@code courier.client.serializer}. */
  String serializer() default "";
}
