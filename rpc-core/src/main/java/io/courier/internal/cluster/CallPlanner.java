package io.courier.internal.cluster;

import io.courier.cluster.ClusterMode;
import io.courier.cluster.ClusterOptions;
import io.courier.cluster.ClusterPolicy;
import io.courier.cluster.LoadBalance;
import io.courier.cluster.LoadBalancer;
import io.courier.cluster.LoadBalancerFactory;
import io.courier.cluster.LoadBalancers;
import io.courier.common.CallOptions;
import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.ServiceDescriptor;
import io.courier.serialization.Serializer;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@link CallPlan}s: the one place where "the stub's option beats the method's (or interface's) annotation
 * beats the client's default" is decided, for the timeout, the load balancer, the cluster mode and its attempts and
 * forks, and the version and group of providers. One per client; keeps, per service, the load balancers in use (one
 * per name) and the retry budget, which every plan of the service shares. Thread-safe.
 */
public final class CallPlanner {

  static final int DEFAULT_ATTEMPTS = 3;
  static final int DEFAULT_FORKS = 2;

  private final Duration defaultTimeout;
  private final ClusterSettings settings;
  private final Map<String, LoadBalancerFactory> balancers;
  private final Map<MethodDescriptor, MethodDefaults> defaults = new ConcurrentHashMap<>();
  private final Map<ServiceDescriptor, ServiceState> services = new ConcurrentHashMap<>();

  /** What a method's (or its interface's) annotations set; null or 0 where they set nothing. */
  private record MethodDefaults(String balancer, ClusterMode mode, int attempts, int forks) {
    /** A generic method's: it has no annotations, and is not cached (callers name generic methods). */
    static final MethodDefaults NONE = new MethodDefaults(null, null, 0, 0);
  }

  /** Per service: one balancer per name in use, and the retry budget. */
  private final class ServiceState {
    final RetryBudget budget = new RetryBudget(settings.retryBudgetTokens(), settings.retryBudgetRatio());
    final Map<String, LoadBalancer> byName = new ConcurrentHashMap<>();

    LoadBalancer balancer(String name) {
      LoadBalancer lb = byName.get(name);
      return lb != null ? lb : byName.computeIfAbsent(name, n -> factory(n).newLoadBalancer());
    }
  }

  /**
   * @throws IllegalArgumentException if the default balancer is unknown, naming those available
   */
  public CallPlanner(Duration defaultTimeout, ClusterSettings settings) {
    this.defaultTimeout = defaultTimeout;
    this.settings = settings;
    this.balancers = LoadBalancers.available();
    factory(settings.defaultBalancer()); // fail at build time, naming what is available
  }

  /**
   * The plans of every method of {@code service} for a stub made with {@code options}, in the order of
   * {@link ServiceDescriptor#methods()}, after checking the options and the methods' annotations.
   *
   * @throws IllegalArgumentException naming the method or option and what is allowed
   */
  public List<CallPlan> plan(ServiceDescriptor service, CallOptions options, Serializer serializer) {
    check(service, options);
    List<CallPlan> plans = new ArrayList<>(service.methods().size());
    for (MethodDescriptor method : service.methods()) {
      plans.add(plan(method, options, serializer));
    }
    return plans;
  }

  /**
   * Checks the cluster options and the annotations of {@code service}'s methods (none for a generic service).
   *
   * @throws IllegalArgumentException naming the method or option and what is allowed
   */
  public void check(ServiceDescriptor service, CallOptions options) {
    for (MethodDescriptor method : service.methods()) {
      MethodDefaults d = defaultsOf(method);
      if (d.balancer() != null) {
        check(() -> factory(d.balancer()), "@LoadBalance of " + method.fullName());
      }
      LoadBalance lb = annotation(method, LoadBalance.class);
      if (lb != null && lb.hashArgument() >= method.requestTypes().length && lb.hashArgument() > 0) {
        throw new IllegalArgumentException("@LoadBalance(hashArgument = " + lb.hashArgument() + ") of "
            + method.fullName() + " names a missing argument (expected: 0.." + (method.requestTypes().length - 1)
            + ")");
      }
    }
    String name = options.get(ClusterOptions.LOAD_BALANCER);
    if (name != null) {
      check(() -> factory(name), "option " + ClusterOptions.LOAD_BALANCER);
    }
    Integer attempts = options.get(ClusterOptions.MAX_ATTEMPTS);
    if (attempts != null && attempts < 1) {
      throw new IllegalArgumentException(ClusterOptions.MAX_ATTEMPTS + ": " + attempts + " (expected: >= 1)");
    }
    Integer forks = options.get(ClusterOptions.FORKS);
    if (forks != null && forks < 1) {
      throw new IllegalArgumentException(ClusterOptions.FORKS + ": " + forks + " (expected: >= 1)");
    }
    Integer hashArgument = options.get(ClusterOptions.HASH_ARGUMENT);
    if (hashArgument != null && hashArgument < 0) {
      throw new IllegalArgumentException(ClusterOptions.HASH_ARGUMENT + ": " + hashArgument + " (expected: >= 0)");
    }
    services.computeIfAbsent(service, s -> new ServiceState());
  }

  /**
   * The plan of {@code method}'s calls with {@code options}, which are not checked: for a generic method (whose
   * service's options {@link #check} has seen) and for options an interceptor set on one call.
   *
   * @throws IllegalArgumentException if {@code options} or an annotation name an unknown load balancer
   */
  public CallPlan plan(MethodDescriptor method, CallOptions options, Serializer serializer) {
    MethodDefaults d = defaultsOf(method);
    Duration timeout = first(options.timeout(), method.timeout(), defaultTimeout);
    String balancerName = first(options.get(ClusterOptions.LOAD_BALANCER), d.balancer(), settings.defaultBalancer());
    ClusterMode mode = first(options.get(ClusterOptions.MODE), d.mode(), settings.defaultMode());
    if (method.kind() != MethodKind.UNARY && (mode == ClusterMode.FORKING || mode == ClusterMode.BROADCAST)) {
      mode = ClusterMode.FAILOVER; // one listener cannot take several streams' messages
    }
    ServiceState state = services.computeIfAbsent(method.service(), s -> new ServiceState());
    return new CallPlan(method, options, serializer, timeout, ServiceKey.of(method.service(), options), balancerName,
        state.balancer(balancerName), mode,
        firstPositive(options.get(ClusterOptions.MAX_ATTEMPTS), d.attempts(), DEFAULT_ATTEMPTS),
        firstPositive(options.get(ClusterOptions.FORKS), d.forks(), DEFAULT_FORKS), state.budget);
  }

  private MethodDefaults defaultsOf(MethodDescriptor method) {
    return method.isGeneric() ? MethodDefaults.NONE : defaults.computeIfAbsent(method, CallPlanner::readAnnotations);
  }

  private LoadBalancerFactory factory(String name) {
    LoadBalancerFactory factory = balancers.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown load balancer '" + name + "' (available: "
          + String.join(", ", balancers.keySet()) + ")");
    }
    return factory;
  }

  private static void check(Runnable validation, String where) {
    try {
      validation.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static MethodDefaults readAnnotations(MethodDescriptor method) {
    LoadBalance lb = annotation(method, LoadBalance.class);
    ClusterPolicy policy = annotation(method, ClusterPolicy.class);
    if (policy != null && (policy.attempts() < 0 || policy.forks() < 0)) {
      throw new IllegalArgumentException("@ClusterPolicy of " + method.fullName()
          + " has a negative attempts or forks (expected: >= 1, or 0 for the default)");
    }
    return new MethodDefaults(lb == null ? null : lb.value(), policy == null ? null : policy.value(),
        policy == null ? 0 : policy.attempts(), policy == null ? 0 : policy.forks());
  }

  /** The method's annotation, else its interface's; none for a generic method. */
  private static <A extends Annotation> A annotation(MethodDescriptor method, Class<A> type) {
    if (method.isGeneric()) {
      return null;
    }
    A a = method.method().getAnnotation(type);
    return a != null ? a : method.service().type().getAnnotation(type);
  }

  private static <T> T first(T option, T annotation, T fallback) {
    return option != null ? option : annotation != null ? annotation : fallback;
  }

  private static int firstPositive(Integer option, int annotation, int fallback) {
    if (option != null) {
      return option;
    }
    return annotation > 0 ? annotation : fallback;
  }
}
