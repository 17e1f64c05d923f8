package io.courier.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves a method of an {@code @RpcService} at a resource-style route of the REST binding (transport {@code rest},
 * or an {@code http2} port with the binding installed), instead of the default {@code POST /<service>/<method>}.
 * Other transports ignore it.
 *
 * <p>{@code path} is literal segments and {@code {name}} segments, each bound to one parameter annotated
 * {@link PathParam}; parameters annotated {@link QueryParam} come from the query string; the remaining parameters
 * form the JSON body (none: no body; one: the body is that value; several: a JSON array of them, in order).
 *
 * <pre>{@code
 * @RpcService
 * public interface Users {
 *   @RestRoute(method = "GET", path = "/users/{id}")
 *   User get(@PathParam("id") long id);
 *
 *   @RestRoute(method = "GET", path = "/users")
 *   List<User> list(@QueryParam("page") int page, @QueryParam("tag") List<String> tags);
 *
 *   @RestRoute(method = "PUT", path = "/users/{id}")
 *   User update(@PathParam("id") long id, User user);        // the body is the user
 * }
 * }</pre>
 *
 * Routes are checked when a server with the REST binding starts (or a {@code rest} client creates a stub): a bad
 * template, a variable without its parameter or two methods on the same route fail there, naming the method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RestRoute {

  /** The HTTP method, upper case: {@code GET}, {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}, ... */
  String method() default "POST";

  /** The path template, starting with {@code /}: literal segments and {@code {name}} variables. */
  String path();
}
