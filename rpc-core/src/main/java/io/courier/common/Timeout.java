package io.courier.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * The timeout of calls to this method, overriding the client's default. A timeout set in
 * {@link CallOptions} overrides this in turn.
 *
 * <pre>{@code
 * @Timeout(value = 30, unit = TimeUnit.SECONDS)
 * Report buildReport(long accountId);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Timeout {

  /** The amount; must be positive. */
  long value();

  TimeUnit unit() default TimeUnit.MILLISECONDS;
}
