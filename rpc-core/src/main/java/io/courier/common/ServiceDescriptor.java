package io.courier.common;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * A service interface parsed into its wire model, once per interface and cached. Parsing checks every
 * method and fails with a message naming the method and what to change.
 *
 * <pre>{@code
 * ServiceDescriptor users = ServiceDescriptor.of(UserService.class);
 * MethodDescriptor get = users.method("getUser");
 * }</pre>
 *
 * <p>A {@linkplain #generic(String) generic} descriptor stands for a service known only by its name, for generic
 * invocation ({@link io.courier.client.RpcClient#generic}): it has no type and no parsed methods; a method is known
 * only by its name and the number of arguments a call passes ({@link #genericMethod}).
 */
public final class ServiceDescriptor {

  /** How many distinct methods (name and argument count) one generic descriptor keeps. */
  public static final int MAX_GENERIC_METHODS = 1024;

  private static final ClassValue<ServiceDescriptor> CACHE = new ClassValue<>() {
    @Override
    protected ServiceDescriptor computeValue(Class<?> type) {
      return new ServiceDescriptor(type);
    }
  };

  private final Class<?> type;
  private final String name;
  private final String version;
  private final String group;
  private final List<MethodDescriptor> methods;
  private final Map<String, MethodDescriptor> byName;
  private final Map<Method, MethodDescriptor> byMethod;
  /** Generic descriptors only (else null): the methods calls have named, by {@code name/arity}; bounded. */
  private final Map<String, MethodDescriptor> genericMethods;

  private ServiceDescriptor(String name) {
    this.type = null;
    this.name = name;
    this.version = "";
    this.group = "";
    this.methods = List.of();
    this.byName = Map.of();
    this.byMethod = Map.of();
    this.genericMethods = new ConcurrentHashMap<>();
  }

  private ServiceDescriptor(Class<?> type) {
    this.genericMethods = null;
    if (!type.isInterface() || type.isAnnotation()) {
      throw new IllegalArgumentException(type.getName()
          + " is not an interface (expected: an interface annotated @RpcService; stubs are JDK proxies)");
    }
    if (type.getTypeParameters().length > 0) {
      throw new IllegalArgumentException(type.getName()
          + " declares type parameters " + Arrays.toString(type.getTypeParameters())
          + " (expected: a non-generic interface; declare a sub-interface with concrete types)");
    }
    RpcService annotation = type.getAnnotation(RpcService.class);
    this.type = type;
    this.name = annotation == null || annotation.name().isBlank() ? type.getName() : annotation.name().trim();
    this.version = annotation == null ? "" : annotation.version().trim();
    this.group = annotation == null ? "" : annotation.group().trim();

    List<Method> candidates = new ArrayList<>();
    for (Method m : type.getMethods()) {
      if (!m.isDefault() && !Modifier.isStatic(m.getModifiers()) && !isObjectMethod(m)) {
        candidates.add(m);
      }
    }
    candidates.sort(Comparator.comparing(Method::getName).thenComparing(Method::toGenericString));
    Map<String, MethodDescriptor> names = new LinkedHashMap<>();
    Map<Method, MethodDescriptor> methodsByJava = new HashMap<>();
    for (Method m : candidates) {
      MethodDescriptor descriptor = parse(m);
      MethodDescriptor clash = names.putIfAbsent(descriptor.name(), descriptor);
      if (clash != null) {
        throw new IllegalArgumentException("methods " + describe(clash.method()) + " and " + describe(m)
            + " both have the wire name '" + descriptor.name()
            + "' (expected: unique names; overloads need @RpcMethod(name = \"...\"))");
      }
      methodsByJava.put(m, descriptor);
    }
    this.methods = List.copyOf(names.values());
    this.byName = Collections.unmodifiableMap(names);
    this.byMethod = Collections.unmodifiableMap(methodsByJava);
  }

  /**
   * The descriptor of {@code type}, parsed on first use.
   *
   * @throws IllegalArgumentException if {@code type} is not a usable service interface; the message names
   *     the offending method
   */
  public static ServiceDescriptor of(Class<?> type) {
    return CACHE.get(type);
  }

  /**
   * A descriptor of the service called {@code name} on the wire, for generic invocation: no interface, no version or
   * group of its own (calls choose them with {@link io.courier.cluster.ClusterOptions}), and methods made on demand
   * by {@link #genericMethod}. Each call makes a new one; a client keeps one per service name, since the cluster
   * layer tells services apart by their descriptor.
   *
   * @throws IllegalArgumentException if {@code name} is blank or holds {@code /}, whitespace or control characters
   */
  public static ServiceDescriptor generic(String name) {
    checkWireName("service", name);
    return new ServiceDescriptor(name);
  }

  /** Whether this descriptor was made by {@link #generic}: no type, methods known only by name. */
  public boolean isGeneric() {
    return genericMethods != null;
  }

  /**
   * The method {@code name} of a generic service, called with {@code arity} arguments: a unary method whose
   * parameters and result are declared as {@code Object} (so the json serializer writes maps, lists and plain values
   * as they are, and reads the result as maps, lists and plain values). Made once per name and arity, and kept.
   *
   * @throws IllegalStateException if this descriptor is not generic, or already keeps
   *     {@value #MAX_GENERIC_METHODS} methods
   * @throws IllegalArgumentException if {@code name} is not a usable wire name or {@code arity} is negative
   */
  public MethodDescriptor genericMethod(String name, int arity) {
    if (genericMethods == null) {
      throw new IllegalStateException(this.name + " is not a generic service descriptor (expected: one made by "
          + "ServiceDescriptor.generic)");
    }
    if (arity < 0) {
      throw new IllegalArgumentException("arity: " + arity + " (expected: >= 0)");
    }
    MethodDescriptor method = genericMethods.get(name + "/" + arity);
    if (method != null) {
      return method;
    }
    checkWireName("method", name);
    if (genericMethods.size() >= MAX_GENERIC_METHODS) {
      throw new IllegalStateException("generic calls of " + this.name + " have named " + MAX_GENERIC_METHODS
          + " distinct methods (name and argument count), the most one client keeps (expected: the methods the "
          + "service has; a client keeps a descriptor for each)");
    }
    Type[] parameters = new Type[arity];
    Arrays.fill(parameters, Object.class);
    return genericMethods.computeIfAbsent(name + "/" + arity, key -> new MethodDescriptor(this, null, name,
        MethodKind.UNARY, parameters, Object.class, false, false, false, null));
  }

  private static void checkWireName(String what, String name) {
    if (name == null || name.isBlank() || name.chars().anyMatch(c -> c == '/' || c <= 0x20 || c == 0x7F)) {
      throw new IllegalArgumentException(what + ": '" + name + "' (expected: a " + what
          + " name as on the wire, without '/', whitespace or control characters)");
    }
  }

  /** The interface, or {@code null} for a {@linkplain #generic generic} descriptor. */
  public Class<?> type() {
    return type;
  }

  /** The service name on the wire and in the registry. */
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

  /** The remote methods, sorted by Java name; empty for a generic descriptor. */
  public List<MethodDescriptor> methods() {
    return methods;
  }

  /** The method with this wire name, or {@code null}. */
  public MethodDescriptor method(String wireName) {
    return byName.get(wireName);
  }

  /** The descriptor of this interface method, or {@code null} for default and {@code Object} methods. */
  public MethodDescriptor method(Method method) {
    return byMethod.get(method);
  }

  @Override
  public String toString() {
    return name + (version.isEmpty() ? "" : ":" + version) + (group.isEmpty() ? "" : " (group " + group + ")");
  }

  private MethodDescriptor parse(Method m) {
    if (m.getTypeParameters().length > 0) {
      throw invalid(m, "declares type parameters (expected: concrete parameter and return types)");
    }
    RpcMethod rpcMethod = m.getAnnotation(RpcMethod.class);
    String wireName = rpcMethod == null || rpcMethod.name().isBlank() ? m.getName() : rpcMethod.name().trim();
    boolean oneWay = m.isAnnotationPresent(OneWay.class);
    boolean idempotent = m.isAnnotationPresent(Idempotent.class);
    Duration timeout = null;
    Timeout t = m.getAnnotation(Timeout.class);
    if (t != null) {
      if (t.value() <= 0) {
        throw invalid(m, "has @Timeout(" + t.value() + ") (expected: > 0)");
      }
      timeout = Duration.of(t.value(), t.unit().toChronoUnit());
    }

    Type[] params = m.getGenericParameterTypes();
    Type returnType = m.getGenericReturnType();
    for (Type p : params) {
      checkConcrete(m, p);
    }
    checkConcrete(m, returnType);

    int observers = 0;
    for (Type p : params) {
      if (rawClass(p) == StreamObserver.class) {
        observers++;
      }
    }
    boolean returnsObserver = rawClass(returnType) == StreamObserver.class;
    if (observers > 0 || returnsObserver) {
      return parseStreaming(m, wireName, params, returnType, returnsObserver, observers, rpcMethod, oneWay,
          idempotent, timeout);
    }

    Class<?> rawReturn = rawClass(returnType);
    boolean async = rawReturn == CompletableFuture.class || rawReturn == CompletionStage.class;
    Type responseType;
    if (async) {
      if (!(returnType instanceof ParameterizedType pt)) {
        throw invalid(m, "returns a raw " + rawReturn.getSimpleName()
            + " (expected: CompletableFuture<T> with a concrete T, or CompletableFuture<Void>)");
      }
      responseType = pt.getActualTypeArguments()[0];
    } else if (Future.class.isAssignableFrom(rawReturn)) {
      throw invalid(m, "returns " + rawReturn.getSimpleName()
          + " (expected: CompletableFuture<T> or CompletionStage<T> for an asynchronous call)");
    } else {
      responseType = returnType == void.class ? Void.class : returnType;
    }
    if (oneWay && (returnType != void.class)) {
      throw invalid(m, "is @OneWay but returns " + returnType.getTypeName() + " (expected: void)");
    }
    return new MethodDescriptor(this, m, wireName, MethodKind.UNARY, params.clone(), responseType, async,
        oneWay, idempotent, timeout);
  }

  private MethodDescriptor parseStreaming(Method m, String wireName, Type[] params, Type returnType,
      boolean returnsObserver, int observers, RpcMethod rpcMethod, boolean oneWay, boolean idempotent,
      Duration timeout) {
    if (oneWay) {
      throw invalid(m, "is @OneWay but streams (expected: a unary void method)");
    }
    if (!returnsObserver && returnType == void.class && params.length == 2 && observers == 1
        && rawClass(params[1]) == StreamObserver.class) {
      return new MethodDescriptor(this, m, wireName, MethodKind.SERVER_STREAMING, new Type[] {params[0]},
          elementType(m, params[1]), false, false, idempotent, timeout);
    }
    if (returnsObserver && params.length == 1 && observers == 1) {
      MethodKind kind = rpcMethod != null && rpcMethod.clientStreaming()
          ? MethodKind.CLIENT_STREAMING : MethodKind.BIDI_STREAMING;
      return new MethodDescriptor(this, m, wireName, kind, new Type[] {elementType(m, returnType)},
          elementType(m, params[0]), false, false, idempotent, timeout);
    }
    throw invalid(m, "uses StreamObserver in an unsupported shape (expected: "
        + "void m(Req request, StreamObserver<Resp> responses) for server streaming, or "
        + "StreamObserver<Req> m(StreamObserver<Resp> responses) for client or bidirectional streaming)");
  }

  private static Type elementType(Method m, Type observerType) {
    if (observerType instanceof ParameterizedType pt) {
      return pt.getActualTypeArguments()[0];
    }
    throw invalid(m, "uses a raw StreamObserver (expected: StreamObserver<T> with a concrete T)");
  }

  private static void checkConcrete(Method m, Type type) {
    checkConcrete(m, type, type);
  }

  private static void checkConcrete(Method m, Type root, Type type) {
    if (type instanceof TypeVariable<?> || type instanceof WildcardType) {
      throw invalid(m, "uses the type " + root.getTypeName()
          + " (expected: concrete types; wildcards and type variables cannot be decoded)");
    }
    if (type instanceof ParameterizedType pt) {
      for (Type argument : pt.getActualTypeArguments()) {
        checkConcrete(m, root, argument);
      }
    } else if (type instanceof GenericArrayType array) {
      checkConcrete(m, root, array.getGenericComponentType());
    }
  }

  /** The erasure of {@code type}. */
  public static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType pt) {
      return (Class<?>) pt.getRawType();
    }
    if (type instanceof GenericArrayType array) {
      return Array.newInstance(rawClass(array.getGenericComponentType()), 0).getClass();
    }
    return Object.class;
  }

  private static boolean isObjectMethod(Method m) {
    try {
      Object.class.getMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static IllegalArgumentException invalid(Method m, String problem) {
    return new IllegalArgumentException("method " + describe(m) + " " + problem);
  }

  private static String describe(Method m) {
    StringBuilder sb = new StringBuilder(m.getDeclaringClass().getName()).append('.').append(m.getName()).append('(');
    Class<?>[] params = m.getParameterTypes();
    for (int i = 0; i < params.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(params[i].getSimpleName());
    }
    return sb.append(')').toString();
  }
}
