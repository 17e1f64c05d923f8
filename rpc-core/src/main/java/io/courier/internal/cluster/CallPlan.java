package io.courier.internal.cluster;

import io.courier.cluster.ClusterMode;
import io.courier.cluster.ClusterOptions;
import io.courier.cluster.LoadBalancer;
import io.courier.common.CallOptions;
import io.courier.common.MethodDescriptor;
import io.courier.serialization.Serializer;
import java.time.Duration;
import java.util.Objects;

/**
 * How a stub's calls of one method run, resolved once by {@link CallPlanner} when the stub is made (for a generic
 * method, when it is first called): the timeout, the serializer, which providers ({@link ServiceKey}), the load
 * balancer, the cluster mode with its attempts or forks, and the service's retry budget. Each value is the stub's
 * option if set, else the method's (or its interface's) annotation, else the client's default. Invariant: immutable;
 * the balancer and budget are the service's, shared by every plan of that service in one client.
 */
public final class CallPlan {

  private final MethodDescriptor method;
  private final CallOptions options;
  private final Serializer serializer;
  private final Duration timeout;
  private final ServiceKey key;
  private final String balancerName;
  private final LoadBalancer balancer;
  private final ClusterMode mode;
  private final int attempts;
  private final int forks;
  private final RetryBudget budget;
  private final ClusterStrategy strategy;

  CallPlan(MethodDescriptor method, CallOptions options, Serializer serializer, Duration timeout, ServiceKey key,
      String balancerName, LoadBalancer balancer, ClusterMode mode, int attempts, int forks, RetryBudget budget) {
    this.method = method;
    this.options = options;
    this.serializer = serializer;
    this.timeout = timeout;
    this.key = key;
    this.balancerName = balancerName;
    this.balancer = balancer;
    this.mode = mode;
    this.attempts = attempts;
    this.forks = forks;
    this.budget = budget;
    this.strategy = ClusterStrategy.of(mode);
  }

  public MethodDescriptor method() {
    return method;
  }

  /** The stub's options, which calls start with. */
  public CallOptions options() {
    return options;
  }

  public Serializer serializer() {
    return serializer;
  }

  /** How long a call may take, before the deadline of a server call it is made from caps it. */
  public Duration timeout() {
    return timeout;
  }

  /** Which providers calls go to. */
  public ServiceKey key() {
    return key;
  }

  /** The name of the load balancer (see {@link io.courier.cluster.LoadBalancers}). */
  public String balancerName() {
    return balancerName;
  }

  public LoadBalancer balancer() {
    return balancer;
  }

  /** The mode calls run in; {@link ClusterMode#FAILOVER} for a streaming method that chose forking or broadcast. */
  public ClusterMode mode() {
    return mode;
  }

  /** How many providers a failover call may try, the first included. */
  public int attempts() {
    return attempts;
  }

  /** How many providers a forking call goes to at once, at most. */
  public int forks() {
    return forks;
  }

  RetryBudget budget() {
    return budget;
  }

  ClusterStrategy strategy() {
    return strategy;
  }

  /**
   * Whether calls with {@code callOptions} (the stub's, or what an interceptor made of them) run as planned: they set
   * the cluster options as the stub's do. Headers and the like may differ.
   */
  public boolean appliesTo(CallOptions callOptions) {
    return callOptions == options
        || same(callOptions, ClusterOptions.LOAD_BALANCER) && same(callOptions, ClusterOptions.MODE)
        && same(callOptions, ClusterOptions.MAX_ATTEMPTS) && same(callOptions, ClusterOptions.FORKS)
        && same(callOptions, ClusterOptions.VERSION) && same(callOptions, ClusterOptions.GROUP);
  }

  private boolean same(CallOptions other, CallOptions.Key<?> option) {
    return Objects.equals(options.get(option), other.get(option));
  }

  @Override
  public String toString() {
    return "CallPlan{" + method.fullName() + ", timeout=" + timeout + ", " + key + ", " + balancerName + ", " + mode
        + (mode == ClusterMode.FAILOVER ? " x" + attempts : mode == ClusterMode.FORKING ? " x" + forks : "")
        + ", " + serializer.name() + "}";
  }
}
