package io.courier.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The fault-tolerance mode of calls to this method, or of every method of this service interface. Options set with
 * {@link ClusterOptions#MODE}, {@link ClusterOptions#MAX_ATTEMPTS} and {@link ClusterOptions#FORKS} win over it.
 *
 * <pre>{@code
 * @ClusterPolicy(value = ClusterMode.FAILOVER, attempts = 2)
 * @Idempotent
 * Price price(String sku);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ClusterPolicy {

  ClusterMode value();

  /** {@link ClusterMode#FAILOVER}: attempts in all; 0 keeps the default (3). */
  int attempts() default 0;

  /** {@link ClusterMode#FORKING}: providers called at once; 0 keeps the default (2). */
  int forks() default 0;
}
