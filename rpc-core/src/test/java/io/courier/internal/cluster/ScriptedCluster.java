package io.courier.internal.cluster;

import io.courier.NoOpSerializerProvider;
import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.cluster.LoadBalancers;
import io.courier.cluster.Provider;
import io.courier.common.CallOptions;
import io.courier.common.Deadline;
import io.courier.common.Endpoint;
import io.courier.common.Idempotent;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.transport.ClientTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cluster strategies' test kit: providers on hosts a test names, a transport whose answer per host the test sets
 * (a value, a status, or no answer until cancelled), and plans from a {@link CallPlanner} whose default balancer is
 * round-robin, so picks go a, b, c, ... in list order.
 */
final class ScriptedCluster {

  @RpcService(name = "test.Stock")
  interface Stock {
    @Idempotent
    String get(String key);

    String put(String key);
  }

  static final ServiceDescriptor STOCK = ServiceDescriptor.of(Stock.class);
  static final Serializer NO_OP = new NoOpSerializerProvider().create(TypeAllowlist.withDefaults());

  /** The hosts called, in order, one entry per attempt. */
  final List<String> called = new CopyOnWriteArrayList<>();
  /** The invocation of each attempt, in order. */
  final List<Invocation> attemptsSeen = new CopyOnWriteArrayList<>();
  private final Map<String, Object> answers = new ConcurrentHashMap<>(); // a value, a Status, or HANG
  private static final Object HANG = new Object();
  private final HealthTable health = new HealthTable(SlowStart.DEFAULT, System::nanoTime);
  private final CallPlanner planner = new CallPlanner(Duration.ofSeconds(5), new ClusterSettings(
      LoadBalancers.ROUND_ROBIN, ClusterSettings.DEFAULT.defaultMode(), 100, 0.1, OutlierDetection.DEFAULT,
      SlowStart.DEFAULT));
  final Attempts attempts = new Attempts(new ClientTransport() {
    @Override
    public CompletableFuture<Object> call(Endpoint endpoint, Invocation invocation) {
      called.add(endpoint.host());
      attemptsSeen.add(invocation);
      Object answer = answers.getOrDefault(endpoint.host(), endpoint.host());
      if (answer == HANG) {
        CompletableFuture<Object> pending = new CompletableFuture<>();
        invocation.onCancel(status -> pending.completeExceptionally(status.asException()));
        return pending;
      }
      return answer instanceof Status status ? CompletableFuture.failedFuture(status.asException())
          : CompletableFuture.completedFuture(answer);
    }

    @Override
    public void disconnect(Endpoint endpoint) {}

    @Override
    public void close() {}
  }, System::nanoTime, OutlierDetection.DEFAULT);

  /** Calls to {@code host} fail with {@code status}. */
  ScriptedCluster fail(String host, Status status) {
    answers.put(host, status);
    return this;
  }

  /** Calls to {@code host} are not answered until cancelled. */
  ScriptedCluster hang(String host) {
    answers.put(host, HANG);
    return this;
  }

  /** Providers on {@code hosts}, in that order; a host answers with its name unless told otherwise. */
  List<Provider> providers(String... hosts) {
    List<Provider> providers = new ArrayList<>();
    for (String host : hosts) {
      Endpoint endpoint = new Endpoint(host, 7070);
      providers.add(new ProviderEntry(endpoint, 100, Map.of(), health.get(endpoint, true), System::nanoTime));
    }
    return providers;
  }

  /** The plan of {@code Stock.method} with {@code options}. */
  CallPlan plan(String method, CallOptions options) {
    return planner.plan(STOCK.method(method), options, NO_OP);
  }

  /** A call of {@code plan}'s method with a deadline {@code timeout} from now. */
  static Invocation call(CallPlan plan, Duration timeout) {
    return InternalInvocation.start(plan, new Object[] {"k"}, Deadline.after(timeout), false, null);
  }

  static Invocation call(CallPlan plan) {
    return call(plan, Duration.ofSeconds(5));
  }
}
