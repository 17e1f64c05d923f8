package io.courier.describe;

import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.ServiceDescriptor;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a caller needs to know of one exported service to call it: its name, version and group, and for each method
 * its kind, parameter names, the JSON Schema (draft 2020-12, {@link JsonSchemas}) of each parameter and of the
 * result, its REST route and an example of its arguments. Servers serve it as JSON at
 * {@code GET /courier/services} when asked to ({@code docs/describe.md}); the console's pages read it.
 *
 * <pre>{@code
 * ServiceDescription users = ServiceDescription.of(ServiceDescriptor.of(Users.class));
 * String json = JsonText.write(users.toJson());
 * }</pre>
 *
 * <p>Parameter names are those of the interface when it was compiled with {@code -parameters}, else Java's
 * positional {@code arg0}, {@code arg1}, ... Immutable once built (do not modify the schema maps it hands out);
 * building it reads the interface by reflection, so build it once.
 */
public final class ServiceDescription {

  /** One parameter: its name and the standalone schema of its declared type. */
  public record Argument(String name, Map<String, Object> schema) {
    public Argument {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(schema, "schema");
    }
  }

  /**
   * One method.
   *
   * @param kind how many messages go each way
   * @param oneWay whether the method is {@link io.courier.common.OneWay} (unary; nothing comes back)
   * @param timeout the method's {@link io.courier.common.Timeout}, or {@code null}
   * @param restRoute the route the server's REST binding serves it at ({@code POST /svc/method},
   *     {@code GET /users/{id}}), or {@code null} when REST does not serve it (streaming methods) or is not known
   * @param arguments what the caller sends: every parameter of a unary call, the request of a server-streaming
   *     call, the stream's element (named {@code requests}) of client and bidirectional streaming
   * @param result the schema of what comes back: the return value, or an element of the response stream
   * @param exampleArguments an example of each argument, in order ({@link JsonSchemas#example}): a generic call's
   *     arguments
   */
  public record Method(String name, MethodKind kind, boolean oneWay, boolean idempotent, Duration timeout,
      String restRoute, List<Argument> arguments, Map<String, Object> result, List<Object> exampleArguments) {
    public Method {
      arguments = List.copyOf(arguments);
      exampleArguments = Collections.unmodifiableList(new ArrayList<>(exampleArguments));
    }

    /** This method as a JSON tree (the format of {@code docs/describe.md}). */
    public Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("name", name);
      json.put("kind", kind.name());
      json.put("oneWay", oneWay);
      json.put("idempotent", idempotent);
      if (timeout != null) {
        json.put("timeoutMillis", timeout.toMillis());
      }
      if (restRoute != null) {
        int space = restRoute.indexOf(' ');
        json.put("rest", JsonSchemas.object("method", restRoute.substring(0, space),
            "path", restRoute.substring(space + 1)));
      }
      List<Object> args = new ArrayList<>();
      for (Argument argument : arguments) {
        args.add(JsonSchemas.object("name", argument.name(), "schema", argument.schema()));
      }
      json.put("arguments", args);
      json.put("result", result);
      json.put("exampleArguments", exampleArguments);
      return json;
    }
  }

  private final String name;
  private final String version;
  private final String group;
  private final List<Method> methods;

  private ServiceDescription(String name, String version, String group, List<Method> methods) {
    this.name = name;
    this.version = version;
    this.group = group;
    this.methods = List.copyOf(methods);
  }

  /** The description of {@code service} without REST routes. */
  public static ServiceDescription of(ServiceDescriptor service) {
    return of(service, method -> null);
  }

  /**
   * The description of {@code service}.
   *
   * @param restRoute each method's REST route, {@code "<HTTP method> <path template>"}, or {@code null} where REST
   *     does not serve it; the REST binding passes its own routing
   * @throws IllegalArgumentException if {@code service} is a generic descriptor (it has no methods to describe), or a
   *     route is not of the form {@code "<HTTP method> <path>"}
   */
  public static ServiceDescription of(ServiceDescriptor service, Function<MethodDescriptor, String> restRoute) {
    if (service.isGeneric()) {
      throw new IllegalArgumentException(service.name() + " is a generic service descriptor (expected: one of an "
          + "interface, ServiceDescriptor.of(type))");
    }
    List<Method> methods = new ArrayList<>();
    for (MethodDescriptor method : service.methods()) {
      methods.add(describe(method, restRoute.apply(method)));
    }
    return new ServiceDescription(service.name(), service.version(), service.group(), methods);
  }

  private static Method describe(MethodDescriptor method, String route) {
    if (route != null && (route.indexOf(' ') <= 0 || !route.substring(route.indexOf(' ') + 1).startsWith("/"))) {
      throw new IllegalArgumentException("REST route of " + method.fullName() + ": '" + route
          + "' (expected: \"<HTTP method> <path>\", such as \"GET /users/{id}\")");
    }
    Type[] types = method.requestTypes();
    List<Argument> arguments = new ArrayList<>();
    List<Object> examples = new ArrayList<>();
    Parameter[] parameters = method.method().getParameters();
    for (int i = 0; i < types.length; i++) {
      String name = method.kind() == MethodKind.CLIENT_STREAMING || method.kind() == MethodKind.BIDI_STREAMING
          ? "requests" : parameters[i].getName();
      Map<String, Object> schema = JsonSchemas.of(types[i]);
      arguments.add(new Argument(name, schema));
      examples.add(JsonSchemas.example(schema));
    }
    return new Method(method.name(), method.kind(), method.isOneWay(), method.isIdempotent(), method.timeout(),
        route, arguments, JsonSchemas.of(method.responseType()), examples);
  }

  /** The name on the wire and in the registry. */
  public String name() {
    return name;
  }

  /** The version, or {@code ""}. */
  public String version() {
    return version;
  }

  /** The group, or {@code ""}. */
  public String group() {
    return group;
  }

  /** The methods, in the order of {@link ServiceDescriptor#methods()}. */
  public List<Method> methods() {
    return methods;
  }

  /** The method with this wire name, or {@code null}. */
  public Method method(String wireName) {
    for (Method method : methods) {
      if (method.name().equals(wireName)) {
        return method;
      }
    }
    return null;
  }

  /** This service as a JSON tree (the format of {@code docs/describe.md}); write it with {@link JsonText}. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("version", version);
    json.put("group", group);
    List<Object> list = new ArrayList<>();
    for (Method method : methods) {
      list.add(method.toJson());
    }
    json.put("methods", list);
    return json;
  }

  /** {@code {"services": [...]}}: several services as one JSON tree. */
  public static Map<String, Object> toJson(List<ServiceDescription> services) {
    List<Object> list = new ArrayList<>();
    for (ServiceDescription service : services) {
      list.add(service.toJson());
    }
    return JsonSchemas.object("services", list);
  }

  @Override
  public String toString() {
    return "ServiceDescription(" + name + (version.isEmpty() ? "" : ":" + version)
        + (group.isEmpty() ? "" : ", group " + group) + ", " + methods.size() + " methods)";
  }
}
