package io.courier.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The load balancer of calls to this method, or of every method of this service interface. Options set with
 * {@link ClusterOptions#LOAD_BALANCER} win over it.
 *
 * <pre>{@code
 * @LoadBalance(value = LoadBalancers.CONSISTENT_HASH, hashArgument = 0)
 * Cart cart(String userId);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface LoadBalance {

  /** The balancer's name; see {@link LoadBalancers}. */
  String value();

  /** For consistent hashing: the index of the argument whose value is the key; default the first argument. */
  int hashArgument() default -1;

  /** For consistent hashing: the request header whose value is the key (wins over {@link #hashArgument()}). */
  String hashHeader() default "";
}
