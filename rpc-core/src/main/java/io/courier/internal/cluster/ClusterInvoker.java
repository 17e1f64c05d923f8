package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.ClusterOptions;
import io.courier.cluster.ClusterPolicy;
import io.courier.cluster.LoadBalance;
import io.courier.cluster.LoadBalancer;
import io.courier.cluster.LoadBalancerFactory;
import io.courier.cluster.LoadBalancers;
import io.courier.cluster.Provider;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.transport.ClientTransport;
import io.courier.transport.ConnectionLostException;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the client chain: takes the invoked service's providers from the directory, leaves out ejected ones,
 * lets the load balancer choose, and runs the call in its fault-tolerance mode — failover, failfast, failsafe,
 * forking or broadcast (see {@link ClusterMode}) — within the call's one deadline. Every attempt is a
 * {@link Invocation#newAttempt() child invocation}, so one attempt can be cancelled without the others, and records
 * its outcome in the endpoint's health (latency, calls in flight, failures, ejection) and the service's retry
 * budget. Invariant: each attempt decrements what it incremented exactly once, when its future completes.
 */
public final class ClusterInvoker {

  private static final Logger log = LoggerFactory.getLogger(ClusterInvoker.class);
  private static final int DEFAULT_ATTEMPTS = 3;
  private static final int DEFAULT_FORKS = 2;

  private final ProviderDirectory directory;
  private final ClientTransport transport;
  private final ClusterSettings settings;
  private final LongSupplier clock;
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
   * One attempt of a call on one provider, and its future: completes when the transport's future has, after recording
   * the outcome in the endpoint's health and the service's retry budget; then tells its failover, if it has one. One
   * object per attempt (the future, the callback and the record of what was tried), since every call makes one.
   */
  private final class Attempt extends CompletableFuture<Object> implements BiConsumer<Object, Throwable> {
    private final ProviderEntry provider;
    private final Invocation invocation;
    private final ServiceState state;
    private final Failover failover;
    private final long started;

    Attempt(ProviderEntry provider, Invocation invocation, ServiceState state, Failover failover, long started) {
      this.provider = provider;
      this.invocation = invocation;
      this.state = state;
      this.failover = failover;
      this.started = started;
    }

    ProviderEntry provider() {
      return provider;
    }

    Invocation invocation() {
      return invocation;
    }

    /** The transport's future completed. */
    @Override
    public void accept(Object value, Throwable error) {
      long now = clock.getAsLong();
      provider.health().finished(now, now - started, Failures.outcome(error), settings.outliers());
      if (error == null || Failures.isAnswer(error)) {
        state.budget.onAnswer();
      } else if (Failures.retry(error) != Failures.Retry.NEVER) {
        state.budget.onFailure();
      }
      Throwable failure = error == null ? null : Status.unwrap(error);
      if (failure == null) {
        complete(value);
      } else {
        completeExceptionally(failure);
      }
      if (failover != null) {
        failover.attemptDone(value, failure);
      }
    }
  }

  public ClusterInvoker(ProviderDirectory directory, ClientTransport transport, ClusterSettings settings,
      LongSupplier clock) {
    this.directory = directory;
    this.transport = transport;
    this.settings = settings;
    this.clock = clock;
    this.balancers = LoadBalancers.available();
    factory(settings.defaultBalancer()); // fail at build time, naming what is available
  }

  /**
   * Checks the cluster options and annotations of {@code service}'s methods and caches what the annotations say, so
   * calls never reflect.
   *
   * @throws IllegalArgumentException naming the method or option and what is allowed
   */
  public void prepare(ServiceDescriptor service, CallOptions options) {
    for (MethodDescriptor method : service.methods()) {
      MethodDefaults d = defaults.computeIfAbsent(method, ClusterInvoker::readAnnotations);
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

  /** Runs one call; never throws, failures complete the future. */
  public CompletableFuture<Object> invoke(Invocation invocation) {
    MethodDescriptor method = invocation.method();
    ServiceDescriptor service = method.service();
    ServiceState state = services.computeIfAbsent(service, s -> new ServiceState());
    MethodDefaults d = method.isGeneric() ? MethodDefaults.NONE
        : defaults.computeIfAbsent(method, ClusterInvoker::readAnnotations);
    CallOptions options = invocation.options();
    ServiceKey key = ServiceKey.of(service, options);
    List<Provider> providers = directory.providers(key);
    if (providers.isEmpty()) {
      return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("no provider of " + key
          + " is known (" + directory.explain(key) + ")").asException());
    }
    LoadBalancer balancer = state.balancer(first(options.get(ClusterOptions.LOAD_BALANCER), d.balancer(),
        settings.defaultBalancer()));
    ClusterMode mode = first(options.get(ClusterOptions.MODE), d.mode(), settings.defaultMode());
    if (invocation.stream() != null && (mode == ClusterMode.FORKING || mode == ClusterMode.BROADCAST)) {
      mode = ClusterMode.FAILOVER; // one listener cannot take several streams' messages
    }
    return switch (mode) {
      case FAILOVER -> new Failover(invocation, balancer, providers, state,
          firstPositive(options.get(ClusterOptions.MAX_ATTEMPTS), d.attempts(), DEFAULT_ATTEMPTS)).start();
      case FAILFAST -> start(pickFirst(balancer, providers, invocation), invocation, state);
      case FAILSAFE -> failsafe(invocation, balancer, providers, state);
      case FORKING -> forking(invocation, balancer, providers, state,
          firstPositive(options.get(ClusterOptions.FORKS), d.forks(), DEFAULT_FORKS));
      case BROADCAST -> broadcast(invocation, providers, state);
    };
  }

  // --- attempts and picking -------------------------------------------------------------------------------------

  private Attempt start(ProviderEntry provider, Invocation invocation, ServiceState state) {
    return start(provider, invocation, state, null);
  }

  private Attempt start(ProviderEntry provider, Invocation invocation, ServiceState state, Failover failover) {
    Invocation attempt = invocation.newAttempt();
    provider.health().started();
    Attempt result = new Attempt(provider, attempt, state, failover, clock.getAsLong());
    CompletableFuture<Object> sent;
    try {
      sent = transport.call(provider.endpoint(), attempt);
      if (sent == null) {
        throw new IllegalStateException("transport returned a null future");
      }
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    if (sent.isDone()) { // answered or failed at once: no callback to register
      Object value = null;
      Throwable error = null;
      try {
        value = sent.join();
      } catch (CompletionException | CancellationException e) {
        error = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      }
      result.accept(value, error);
    } else {
      sent.whenComplete(result);
    }
    return result;
  }

  /** The first pick of a call: among available providers, or among all when every one is ejected (panic). */
  private ProviderEntry pickFirst(LoadBalancer balancer, List<Provider> providers, Invocation invocation) {
    ProviderEntry chosen = pick(balancer, providers, invocation, List.of());
    return chosen != null ? chosen : checked(balancer, providers, balancer.pick(providers, invocation));
  }

  /** A pick among available providers not in {@code exclude}, or {@code null} if there is none. */
  private ProviderEntry pick(LoadBalancer balancer, List<Provider> providers, Invocation invocation,
      List<Endpoint> exclude) {
    long now = clock.getAsLong();
    List<Provider> candidates = providers;
    for (int i = 0; i < providers.size(); i++) {
      ProviderEntry p = (ProviderEntry) providers.get(i);
      if (!p.health().isAvailable(now) || exclude.contains(p.endpoint())) {
        candidates = new ArrayList<>(providers.size());
        for (Provider candidate : providers) {
          ProviderEntry e = (ProviderEntry) candidate;
          if (e.health().isAvailable(now) && !exclude.contains(e.endpoint())) {
            candidates.add(e);
          }
        }
        break;
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    return checked(balancer, candidates, balancer.pick(candidates, invocation));
  }

  private static ProviderEntry checked(LoadBalancer balancer, List<Provider> candidates, Provider chosen) {
    for (Provider p : candidates) {
      if (p == chosen) {
        return (ProviderEntry) p;
      }
    }
    throw new IllegalStateException("load balancer " + balancer.getClass().getName() + " returned " + chosen
        + ", which is not one of the providers it was given " + candidates);
  }

  // --- modes ------------------------------------------------------------------------------------------------------

  /**
   * Sequential attempts on different providers while the rules, the budget and the deadline allow; is the call's
   * future. The list of providers tried is made only when a second attempt is.
   */
  private final class Failover extends CompletableFuture<Object> {
    private final Invocation invocation;
    private final LoadBalancer balancer;
    private final List<Provider> providers;
    private final ServiceState state;
    private final int maxAttempts;
    private final Failover result = this;
    private Endpoint firstTried; // written before each attempt starts, read when it ends
    private List<Endpoint> tried; // null until a retry

    Failover(Invocation invocation, LoadBalancer balancer, List<Provider> providers, ServiceState state,
        int maxAttempts) {
      this.invocation = invocation;
      this.balancer = balancer;
      this.providers = providers;
      this.state = state;
      this.maxAttempts = maxAttempts;
    }

    CompletableFuture<Object> start() {
      try {
        attempt(pickFirst(balancer, providers, invocation));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
      return result;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }

    private void attempt(ProviderEntry provider) {
      if (firstTried == null) {
        firstTried = provider.endpoint();
      } else {
        if (tried == null) {
          tried = new ArrayList<>(Math.min(maxAttempts, 8));
          tried.add(firstTried);
        }
        tried.add(provider.endpoint());
      }
      ClusterInvoker.this.start(provider, invocation, state, this);
    }

    private List<Endpoint> tried() {
      return tried != null ? tried : List.of(firstTried);
    }

    void attemptDone(Object value, Throwable error) {
      if (error == null) {
        result.complete(value);
      } else {
        try {
          failed(error);
        } catch (RuntimeException e) {
          e.addSuppressed(error);
          result.completeExceptionally(e);
        }
      }
    }

    private void failed(Throwable error) {
      Failures.Retry retry = Failures.retry(error);
      MethodDescriptor method = invocation.method();
      if (retry == Failures.Retry.NEVER || invocation.isCancelled()) {
        result.completeExceptionally(error);
        return;
      }
      if (retry == Failures.Retry.IF_IDEMPOTENT && invocation.stream() != null) {
        // A stream may already have delivered messages to its listener: only a stream that never started is
        // sent elsewhere, whatever the method's idempotency.
        result.completeExceptionally(error);
        return;
      }
      if (retry == Failures.Retry.IF_IDEMPOTENT && !method.isIdempotent()) {
        // Say why only where a retry could be expected: a dropped connection. INTERNAL and the like are as they came.
        result.completeExceptionally(!ConnectionLostException.isCauseOf(error) ? error
            : Failures.annotate(error, "not retried: the connection was lost with the request in flight, so it may"
                + " have run, and " + method.fullName() + " is not @Idempotent"));
        return;
      }
      List<Endpoint> tried = tried();
      if (tried.size() >= maxAttempts) {
        result.completeExceptionally(maxAttempts == 1 ? error
            : Failures.annotate(error, "failed on all " + tried.size() + " attempts: " + tried));
        return;
      }
      if (invocation.deadline() != null && invocation.deadline().isExpired()) {
        result.completeExceptionally(Failures.annotate(error, "not retried: the deadline has passed"));
        return;
      }
      if (!state.budget.allowRetry()) {
        result.completeExceptionally(Failures.annotate(error, "not retried: the retry budget of " + method.service()
            + " is spent by recent failures; see RpcClient.Builder.retryBudget"));
        return;
      }
      ProviderEntry next = pick(balancer, providers, invocation, tried);
      if (next == null) {
        next = pick(balancer, providers, invocation, List.of());
      }
      if (next == null) {
        result.completeExceptionally(Failures.annotate(error, "not retried: no other provider is available; tried "
            + tried));
        return;
      }
      attempt(next);
    }
  }

  private CompletableFuture<Object> failsafe(Invocation invocation, LoadBalancer balancer, List<Provider> providers,
      ServiceState state) {
    Attempt attempt = start(pickFirst(balancer, providers, invocation), invocation, state);
    return attempt.handle((value, error) -> {
      if (error == null) {
        return value;
      }
      log.warn("{} failed on {}; failsafe mode returns the default value instead: {}",
          invocation.method().fullName(), attempt.provider().endpoint(), error.toString());
      return null;
    });
  }

  private CompletableFuture<Object> forking(Invocation invocation, LoadBalancer balancer, List<Provider> providers,
      ServiceState state, int forks) {
    List<Endpoint> chosen = new ArrayList<>(forks);
    List<ProviderEntry> targets = new ArrayList<>(forks);
    ProviderEntry first = pickFirst(balancer, providers, invocation);
    targets.add(first);
    chosen.add(first.endpoint());
    while (targets.size() < forks && state.budget.allowRetry()) {
      ProviderEntry next = pick(balancer, providers, invocation, chosen);
      if (next == null) {
        break;
      }
      targets.add(next);
      chosen.add(next.endpoint());
    }
    CompletableFuture<Object> result = new CompletableFuture<>();
    List<Attempt> attempts = new ArrayList<>(targets.size());
    AtomicInteger pending = new AtomicInteger(targets.size());
    for (ProviderEntry target : targets) {
      attempts.add(start(target, invocation, state));
    }
    for (Attempt attempt : attempts) {
      attempt.whenComplete((value, error) -> {
        boolean won = error == null ? result.complete(value)
            : Failures.isAnswer(error) && result.completeExceptionally(error);
        if (won) {
          Status lost = Status.CANCELLED.withDescription("another provider answered " + invocation.method().fullName()
              + " first");
          for (Attempt other : attempts) {
            if (other != attempt) {
              other.invocation().cancel(lost);
            }
          }
        }
        if (pending.decrementAndGet() == 0 && !result.isDone()) {
          result.completeExceptionally(attempts.size() == 1 ? error
              : Failures.annotate(error, "all " + attempts.size() + " forks failed: " + chosen));
        }
      });
    }
    return result;
  }

  private CompletableFuture<Object> broadcast(Invocation invocation, List<Provider> providers, ServiceState state) {
    List<Attempt> attempts = new ArrayList<>(providers.size());
    for (Provider p : providers) {
      attempts.add(start((ProviderEntry) p, invocation, state));
    }
    CompletableFuture<?>[] all = new CompletableFuture<?>[attempts.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = attempts.get(i);
    }
    return CompletableFuture.allOf(all).handle((ignored, anyError) -> {
      Throwable firstError = null;
      List<String> failed = new ArrayList<>();
      for (Attempt attempt : attempts) {
        CompletableFuture<Object> f = attempt;
        if (f.isCompletedExceptionally()) {
          Throwable error = Status.unwrap(f.handle((v, e) -> e).join());
          failed.add(attempt.provider().endpoint() + " (" + Status.fromThrowable(error).code() + ")");
          if (firstError == null) {
            firstError = error;
          }
        }
      }
      if (firstError != null) {
        throw new CompletionException(Failures.annotate(firstError, "broadcast: "
            + failed.size() + " of " + attempts.size() + " providers failed: " + failed));
      }
      return attempts.get(0).join();
    });
  }

  // --- configuration ----------------------------------------------------------------------------------------------

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
