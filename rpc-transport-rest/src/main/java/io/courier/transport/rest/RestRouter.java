package io.courier.transport.rest;

import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The route table of one server, built once from its exported services: default routes
 * ({@code POST /<service>/<method>}) in a map, {@link io.courier.rest.RestRoute} routes in order of specificity (at
 * the first segment where two templates differ, a literal wins over a variable, so {@code /users/me} beats
 * {@code /users/{id}}). Immutable; safe on any thread.
 */
final class RestRouter {

  /** What a request's method and path lead to: a mapping with its path variables, or why not. */
  record Match(RestMapping mapping, String[] variables, int httpStatus, String problem, String allow) {
    boolean found() {
      return mapping != null;
    }
  }

  private final Map<String, RestMapping> defaults = new HashMap<>();
  private final List<RestMapping> routes = new ArrayList<>();
  /** Every method's positional mapping, by its default path: where generic calls go. */
  private final Map<String, RestMapping> generic = new HashMap<>();

  /**
   * @throws IllegalArgumentException if a method's annotations are not usable or two methods claim the same route,
   *     naming them
   */
  RestRouter(List<ServiceDescriptor> services) {
    for (ServiceDescriptor service : services) {
      for (MethodDescriptor method : service.methods()) {
        RestMapping positional = RestMapping.positional(method);
        generic.put(positional.template(), positional);
        RestMapping mapping = RestMapping.of(method);
        if (!mapping.isRouted()) {
          defaults.put(mapping.template(), mapping);
        } else {
          for (RestMapping other : routes) {
            if (other.httpMethod().equals(mapping.httpMethod()) && sameShape(other, mapping)) {
              throw new IllegalArgumentException("REST routes clash: " + other + " and " + mapping
                  + " (expected: each HTTP method and path template served by one method)");
            }
          }
          routes.add(mapping);
        }
      }
    }
    routes.sort(RestRouter::bySpecificity);
  }

  /** The routes, for messages and documentation: default routes, then annotated ones. */
  List<String> describe() {
    List<String> all = new ArrayList<>(new TreeSet<>(defaults.keySet()).stream().map(p -> "POST " + p).toList());
    routes.forEach(r -> all.add(r.describe()));
    return all;
  }

  /**
   * Routes a request.
   *
   * @param rawPath the path of the request URI, still percent-encoded, without the query
   */
  Match match(String httpMethod, String rawPath) {
    String[] segments;
    try {
      segments = segments(rawPath);
    } catch (IllegalArgumentException e) {
      return new Match(null, null, 400, "malformed path '" + rawPath + "': " + e.getMessage(), null);
    }
    if (segments.length == 2) {
      RestMapping mapping = defaults.get("/" + segments[0] + "/" + segments[1]);
      if (mapping != null) {
        if (!mapping.isServable()) {
          return new Match(null, null, 404, mapping.method().fullName() + " is a " + mapping.method().kind()
              + " method; REST serves unary methods only (call it over http2)", null);
        }
        if (!mapping.httpMethod().equals(httpMethod)) {
          return new Match(null, null, 405, httpMethod + " is not allowed on /" + segments[0] + "/" + segments[1]
              + " (allowed: POST)", "POST");
        }
        return new Match(mapping, new String[0], 200, null, null);
      }
    }
    TreeSet<String> allowed = null;
    for (RestMapping route : routes) {
      String[] variables = bind(route, segments);
      if (variables == null) {
        continue;
      }
      if (route.httpMethod().equals(httpMethod)) {
        return new Match(route, variables, 200, null, null);
      }
      if (allowed == null) {
        allowed = new TreeSet<>();
      }
      allowed.add(route.httpMethod());
    }
    if (allowed != null) {
      String allow = String.join(", ", allowed);
      return new Match(null, null, 405, httpMethod + " is not allowed on " + rawPath + " (allowed: " + allow + ")",
          allow);
    }
    return new Match(null, null, 404, null, null);
  }

  /**
   * Routes a generic call ({@code courier-generic} header): {@code POST /<service>/<method>} to the method's positional
   * mapping, whatever its own route. A streaming method is found too, so that admission can refuse it by name.
   */
  Match matchGeneric(String httpMethod, String rawPath) {
    String[] segments;
    try {
      segments = segments(rawPath);
    } catch (IllegalArgumentException e) {
      return new Match(null, null, 400, "malformed path '" + rawPath + "': " + e.getMessage(), null);
    }
    RestMapping mapping = segments.length == 2 ? generic.get("/" + segments[0] + "/" + segments[1]) : null;
    if (mapping == null) {
      return new Match(null, null, 404, null, null);
    }
    if (!httpMethod.equals("POST")) {
      return new Match(null, null, 405, httpMethod + " is not allowed for a generic call of "
          + mapping.method().fullName() + " (allowed: POST)", "POST");
    }
    return new Match(mapping, new String[mapping.params().length], 200, null, null);
  }

  /** The variables of {@code route} in {@code segments}, by parameter index, or {@code null} if it does not match. */
  private static String[] bind(RestMapping route, String[] segments) {
    List<RestMapping.Segment> template = route.segments();
    if (template.size() != segments.length) {
      return null;
    }
    String[] variables = null;
    for (int i = 0; i < segments.length; i++) {
      RestMapping.Segment s = template.get(i);
      if (s.isVariable()) {
        if (variables == null) {
          variables = new String[route.params().length];
        }
        variables[s.param()] = segments[i];
      } else if (!s.literal().equals(segments[i])) {
        return null;
      }
    }
    return variables == null ? new String[route.params().length] : variables;
  }

  /** The percent-decoded segments of a path; a trailing slash is ignored. */
  static String[] segments(String rawPath) {
    if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw new IllegalArgumentException("expected a path starting with /");
    }
    String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    if (path.equals("/")) {
      return new String[0];
    }
    String[] parts = path.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].indexOf('%') >= 0) {
        parts[i] = QueryStringDecoder.decodeComponent(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
      }
    }
    return parts;
  }

  private static boolean sameShape(RestMapping a, RestMapping b) {
    List<RestMapping.Segment> x = a.segments();
    List<RestMapping.Segment> y = b.segments();
    if (x.size() != y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      RestMapping.Segment s = x.get(i);
      RestMapping.Segment t = y.get(i);
      if (s.isVariable() != t.isVariable() || !s.isVariable() && !s.literal().equals(t.literal())) {
        return false;
      }
    }
    return true;
  }

  /** Literal segments before variables at the first position where two templates differ; then shorter first. */
  private static int bySpecificity(RestMapping a, RestMapping b) {
    List<RestMapping.Segment> x = a.segments();
    List<RestMapping.Segment> y = b.segments();
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      boolean vx = x.get(i).isVariable();
      boolean vy = y.get(i).isVariable();
      if (vx != vy) {
        return vx ? 1 : -1;
      }
    }
    return Comparator.<Integer>naturalOrder().compare(x.size(), y.size());
  }
}
