package io.courier.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter to a query-string parameter of a REST request, converted as for {@link PathParam}. A missing
 * parameter is {@code null} (an empty list for a collection, an error {@code 400} for a primitive); a collection or
 * array parameter takes every occurrence ({@code ?tag=a&tag=b}). Works with {@link RestRoute} routes and with the
 * default route alike.
 *
 * <pre>{@code
 * @RestRoute(method = "GET", path = "/users")
 * List<User> list(@QueryParam("page") int page);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface QueryParam {

  /** The query parameter's name. */
  String value();
}
