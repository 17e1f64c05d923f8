package io.courier.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter to the {@code {name}} variable of its method's {@link RestRoute} path. The segment is
 * percent-decoded and converted to the parameter's type: strings as they are, numbers and booleans parsed, other
 * types (enums, {@code java.time} values, UUIDs, ...) read as a JSON string by the JSON serializer.
 *
 * <pre>{@code
 * @RestRoute(method = "GET", path = "/users/{id}")
 * User get(@PathParam("id") long id);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface PathParam {

  /** The variable's name in the path template. */
  String value();
}
