package io.courier.transport.rest;

import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.ServiceDescriptor;
import io.courier.rest.PathParam;
import io.courier.rest.QueryParam;
import io.courier.rest.RestRoute;
import java.lang.annotation.Annotation;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How one service method is reached over REST, parsed once from its annotations and cached: the HTTP method, the
 * path (the default {@code /<service>/<method>}, or a {@link RestRoute} template), and where each parameter comes
 * from — a path variable, a query parameter, or the body. Servers route with it, clients build requests with it.
 * Immutable.
 *
 * <p>The body carries the parameters that are neither {@link PathParam} nor {@link QueryParam}: none, no body; one,
 * the body is that value's JSON; several, a JSON array of their values in order.
 *
 * <p>A generic call ({@link io.courier.client.GenericService}, marked by the {@code courier-generic} header) takes the
 * method's {@linkplain #positional positional} mapping instead, whatever its annotations: {@code POST
 * /<service>/<method>} with every argument, in order, in one JSON array — the caller knows the method only by name.
 */
final class RestMapping {

  private static final Map<MethodDescriptor, RestMapping> CACHE = new ConcurrentHashMap<>();
  private static final Map<MethodDescriptor, RestMapping> POSITIONAL = new ConcurrentHashMap<>();

  /** Where a parameter's value comes from. */
  enum Source { PATH, QUERY, BODY }

  /** One parameter: its index among the method's, its source and name, and its declared type. */
  record Param(int index, Source source, String name, Type type, Class<?> raw, boolean multiple, Type elementType) {}

  /** One segment of a path template: a literal, or a variable bound to the parameter at {@code param}. */
  record Segment(String literal, String variable, int param) {
    boolean isVariable() {
      return variable != null;
    }
  }

  private final MethodDescriptor method;
  private final boolean routed;
  private final String httpMethod;
  private final String template;
  private final List<Segment> segments;
  private final Param[] params;
  private final int[] bodyParams;
  private final Type[] bodyTypes;
  private final boolean servable;
  private final boolean positional;

  private RestMapping(MethodDescriptor method, boolean routed, String httpMethod, String template,
      List<Segment> segments, Param[] params, boolean servable) {
    this(method, routed, httpMethod, template, segments, params, servable, false);
  }

  private RestMapping(MethodDescriptor method, boolean routed, String httpMethod, String template,
      List<Segment> segments, Param[] params, boolean servable, boolean positional) {
    this.positional = positional;
    this.method = method;
    this.routed = routed;
    this.httpMethod = httpMethod;
    this.template = template;
    this.segments = segments;
    this.params = params;
    this.servable = servable;
    List<Integer> body = new ArrayList<>();
    for (Param p : params) {
      if (p.source() == Source.BODY) {
        body.add(p.index());
      }
    }
    this.bodyParams = body.stream().mapToInt(Integer::intValue).toArray();
    this.bodyTypes = new Type[bodyParams.length];
    for (int i = 0; i < bodyParams.length; i++) {
      bodyTypes[i] = params[bodyParams[i]].type();
    }
  }

  /** How the REST binding serves {@code method} ({@code "GET /users/{id}"}), or {@code null} if it does not. */
  static String route(MethodDescriptor method) {
    RestMapping mapping = of(method);
    return mapping.isServable() ? mapping.describe() : null;
  }

  /**
   * The mapping of {@code method}, parsed on first use.
   *
   * @throws IllegalArgumentException naming the method and what to change, if its annotations are not usable
   */
  static RestMapping of(MethodDescriptor method) {
    if (method.isGeneric()) {
      return positional(method);
    }
    RestMapping mapping = CACHE.get(method);
    if (mapping == null) {
      mapping = CACHE.computeIfAbsent(method, RestMapping::parse);
    }
    return mapping;
  }

  /**
   * How a generic call reaches {@code method}: {@code POST /<service>/<method>}, every parameter from one JSON array in
   * the body (also a single one, and none: no body or {@code []}). Servable for unary methods only. Cached for exported
   * methods; made per call for a generic client's (cheap: its parameters are all {@code Object}).
   */
  static RestMapping positional(MethodDescriptor method) {
    if (method.isGeneric()) {
      return makePositional(method);
    }
    RestMapping mapping = POSITIONAL.get(method);
    if (mapping == null) {
      mapping = POSITIONAL.computeIfAbsent(method, RestMapping::makePositional);
    }
    return mapping;
  }

  private static RestMapping makePositional(MethodDescriptor descriptor) {
    Type[] types = descriptor.requestTypes();
    Method m = descriptor.method();
    boolean unary = descriptor.kind() == MethodKind.UNARY;
    Param[] params = new Param[unary ? types.length : 0];
    for (int i = 0; i < params.length; i++) {
      params[i] = new Param(i, Source.BODY, m == null ? "#" + i : parameterName(m, i), types[i],
          ServiceDescriptor.rawClass(types[i]), false, null);
    }
    return new RestMapping(descriptor, false, "POST", defaultPath(descriptor), List.of(), params, unary, true);
  }

  private static RestMapping parse(MethodDescriptor descriptor) {
    Method m = descriptor.method();
    RestRoute route = m.getAnnotation(RestRoute.class);
    boolean unary = descriptor.kind() == MethodKind.UNARY;
    if (!unary) {
      if (route != null) {
        throw invalid(descriptor, "is a " + descriptor.kind() + " method and has @RestRoute (expected: streaming "
            + "methods are not served over REST; call them over http2, or remove the annotation)");
      }
      return new RestMapping(descriptor, false, "POST", defaultPath(descriptor), List.of(), new Param[0], false);
    }
    Type[] types = descriptor.requestTypes();
    Annotation[][] annotations = m.getParameterAnnotations();
    Param[] params = new Param[types.length];
    Set<String> pathNames = new HashSet<>();
    for (int i = 0; i < types.length; i++) {
      PathParam path = find(annotations[i], PathParam.class);
      QueryParam query = find(annotations[i], QueryParam.class);
      if (path != null && query != null) {
        throw invalid(descriptor, "parameter " + i + " has both @PathParam and @QueryParam (expected: one)");
      }
      Class<?> raw = ServiceDescriptor.rawClass(types[i]);
      Type element = elementType(types[i]);
      if (path != null) {
        if (route == null) {
          throw invalid(descriptor, "parameter " + i + " has @PathParam(\"" + path.value() + "\") but the method has"
              + " no @RestRoute (expected: @RestRoute(method = ..., path = \".../{" + path.value() + "}\"))");
        }
        checkName(descriptor, "@PathParam", path.value());
        if (element != null || Map.class.isAssignableFrom(raw)) {
          throw invalid(descriptor, "parameter " + i + " (@PathParam(\"" + path.value() + "\")) is a "
              + raw.getSimpleName()
              + " (expected: a single value: a string, number, boolean, enum or another type read from a JSON string)");
        }
        if (!pathNames.add(path.value())) {
          throw invalid(descriptor, "binds path variable {" + path.value() + "} twice");
        }
        params[i] = new Param(i, Source.PATH, path.value(), types[i], raw, false, null);
      } else if (query != null) {
        checkName(descriptor, "@QueryParam", query.value());
        if (Map.class.isAssignableFrom(raw)) {
          throw invalid(descriptor, "parameter " + i + " (@QueryParam(\"" + query.value() + "\")) is a Map (expected:"
              + " a single value, or a collection or array of them for a repeated parameter)");
        }
        params[i] = new Param(i, Source.QUERY, query.value(), types[i], raw, element != null, element);
      } else {
        params[i] = new Param(i, Source.BODY, parameterName(m, i), types[i], raw, false, null);
      }
    }
    if (route == null) {
      return new RestMapping(descriptor, false, "POST", defaultPath(descriptor), List.of(), params, true);
    }
    String httpMethod = route.method().trim();
    if (httpMethod.isEmpty() || !httpMethod.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
      throw invalid(descriptor, "has @RestRoute(method = \"" + route.method()
          + "\") (expected: an upper-case HTTP method such as GET, POST, PUT, PATCH or DELETE)");
    }
    boolean hasBody = false;
    for (Param p : params) {
      hasBody |= p.source() == Source.BODY;
    }
    if (hasBody && (httpMethod.equals("GET") || httpMethod.equals("HEAD"))) {
      throw invalid(descriptor, "is a " + httpMethod + " route with body parameters (expected: every parameter of a "
          + httpMethod + " route annotated @PathParam or @QueryParam, or another HTTP method)");
    }
    String template = route.path().trim();
    List<Segment> segments = parseTemplate(descriptor, template, params, pathNames);
    return new RestMapping(descriptor, true, httpMethod, template, segments, params, true);
  }

  private static List<Segment> parseTemplate(MethodDescriptor descriptor, String template, Param[] params,
      Set<String> boundNames) {
    if (!template.startsWith("/")) {
      throw invalid(descriptor, "has @RestRoute(path = \"" + template + "\") (expected: a path starting with /)");
    }
    if (template.indexOf('?') >= 0 || template.indexOf('#') >= 0) {
      throw invalid(descriptor, "has @RestRoute(path = \"" + template
          + "\") (expected: no query or fragment; bind query parameters with @QueryParam)");
    }
    List<Segment> segments = new ArrayList<>();
    Set<String> variables = new HashSet<>();
    String body = template.length() > 1 && template.endsWith("/") ? template.substring(0, template.length() - 1)
        : template;
    if (!body.equals("/")) {
      for (String part : body.substring(1).split("/", -1)) {
        if (part.isEmpty()) {
          throw invalid(descriptor, "has @RestRoute(path = \"" + template + "\") with an empty segment (expected: "
              + "no '//')");
        }
        if (part.startsWith("{") && part.endsWith("}")) {
          String name = part.substring(1, part.length() - 1);
          checkName(descriptor, "path variable", name);
          if (!variables.add(name)) {
            throw invalid(descriptor, "has path variable {" + name + "} twice in \"" + template + "\"");
          }
          int param = -1;
          for (Param p : params) {
            if (p.source() == Source.PATH && p.name().equals(name)) {
              param = p.index();
            }
          }
          if (param < 0) {
            throw invalid(descriptor, "has path variable {" + name + "} in \"" + template
                + "\" but no parameter annotated @PathParam(\"" + name + "\")");
          }
          segments.add(new Segment(null, name, param));
        } else if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
          throw invalid(descriptor, "has segment '" + part + "' in \"" + template
              + "\" (expected: a variable is a whole segment, as in /users/{id})");
        } else {
          segments.add(new Segment(part, null, -1));
        }
      }
    }
    for (String bound : boundNames) {
      if (!variables.contains(bound)) {
        throw invalid(descriptor, "has @PathParam(\"" + bound + "\") but its path \"" + template
            + "\" has no {" + bound + "}");
      }
    }
    return List.copyOf(segments);
  }

  private static void checkName(MethodDescriptor descriptor, String what, String name) {
    if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7F && "{}/?#&=".indexOf(c) < 0)) {
      throw invalid(descriptor, "has " + what + " name '" + name
          + "' (expected: printable ASCII without spaces or any of {}/?#&=)");
    }
  }

  private static String defaultPath(MethodDescriptor descriptor) {
    return "/" + descriptor.service().name() + "/" + descriptor.name();
  }

  /** The element type of a collection or array type, or {@code null} for anything else. */
  private static Type elementType(Type type) {
    Class<?> raw = ServiceDescriptor.rawClass(type);
    if (raw == byte[].class) {
      return null; // a byte[] is one value (base64 in JSON)
    }
    if (type instanceof GenericArrayType array) {
      return array.getGenericComponentType();
    }
    if (raw.isArray()) {
      return raw.getComponentType();
    }
    if (Collection.class.isAssignableFrom(raw)) {
      return type instanceof ParameterizedType pt ? pt.getActualTypeArguments()[0] : Object.class;
    }
    return null;
  }

  private static String parameterName(Method m, int index) {
    Parameter p = m.getParameters()[index];
    return p.isNamePresent() ? p.getName() : "#" + index;
  }

  private static <A extends Annotation> A find(Annotation[] annotations, Class<A> type) {
    for (Annotation a : annotations) {
      if (type.isInstance(a)) {
        return type.cast(a);
      }
    }
    return null;
  }

  private static IllegalArgumentException invalid(MethodDescriptor descriptor, String problem) {
    return new IllegalArgumentException("REST mapping of " + descriptor.method().getDeclaringClass().getName() + "."
        + descriptor.method().getName() + " " + problem);
  }

  MethodDescriptor method() {
    return method;
  }

  /** Whether the method has a {@link RestRoute}; otherwise it is served at {@code POST /<service>/<method>}. */
  boolean isRouted() {
    return routed;
  }

  /** Whether this is the mapping of generic calls: every argument in one JSON array in the body. */
  boolean isPositional() {
    return positional;
  }

  /** Whether REST serves the method at all: unary methods only. */
  boolean isServable() {
    return servable;
  }

  String httpMethod() {
    return httpMethod;
  }

  /** The path template as written (or the default path), for messages. */
  String template() {
    return template;
  }

  /** The template's segments; empty for the default route. */
  List<Segment> segments() {
    return segments;
  }

  Param[] params() {
    return params;
  }

  /** The indexes of the parameters carried in the body, in order. */
  int[] bodyParams() {
    return bodyParams;
  }

  /** The declared types of the body parameters, in order. Do not modify. */
  Type[] bodyTypes() {
    return bodyTypes;
  }

  /** {@code GET /users/{id}} or {@code POST /svc/method}, for messages. */
  String describe() {
    return httpMethod + " " + template;
  }

  @Override
  public String toString() {
    return describe() + " -> " + method.fullName();
  }
}
