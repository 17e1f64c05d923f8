package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.NoOpSerializerProvider;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.ClusterOptions;
import io.courier.cluster.ClusterPolicy;
import io.courier.cluster.LoadBalance;
import io.courier.cluster.LoadBalancers;
import io.courier.common.CallOptions;
import io.courier.common.Metadata;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.common.StreamObserver;
import io.courier.common.Timeout;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "The stub's option beats the method's (or interface's) annotation beats the client's default", in one place. */
class CallPlannerTest {

  @RpcService(name = "test.Catalog", version = "1.0")
  @LoadBalance(LoadBalancers.LEAST_ACTIVE)
  @ClusterPolicy(value = ClusterMode.FAILFAST)
  interface Catalog {
    @Timeout(50)
    @LoadBalance(LoadBalancers.ROUND_ROBIN)
    @ClusterPolicy(value = ClusterMode.FAILOVER, attempts = 5)
    String annotated(String key);

    String plain(String key);

    @ClusterPolicy(value = ClusterMode.FORKING, forks = 4)
    String forked(String key);

    @ClusterPolicy(ClusterMode.BROADCAST)
    void watch(String key, StreamObserver<String> changes);
  }

  @RpcService(name = "test.Bare")
  interface Bare {
    String plain(String key);
  }

  private static final ServiceDescriptor CATALOG = ServiceDescriptor.of(Catalog.class);
  private static final Serializer NO_OP = new NoOpSerializerProvider().create(TypeAllowlist.withDefaults());
  private final CallPlanner planner = new CallPlanner(Duration.ofSeconds(7), new ClusterSettings(LoadBalancers.P2C,
      ClusterMode.FAILOVER, 100, 0.1, OutlierDetection.DEFAULT, SlowStart.DEFAULT));

  private CallPlan plan(String method, CallOptions options) {
    return planner.plan(CATALOG.method(method), options, NO_OP);
  }

  private CallPlan bare(CallOptions options) {
    return planner.plan(ServiceDescriptor.of(Bare.class).method("plain"), options, NO_OP);
  }

  @Test
  void timeoutOptionBeatsAnnotationBeatsDefault() {
    CallOptions option = CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200));
    assertThat(plan("annotated", option).timeout()).isEqualTo(Duration.ofMillis(200));
    assertThat(plan("annotated", CallOptions.DEFAULT).timeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(plan("plain", CallOptions.DEFAULT).timeout()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void balancerOptionBeatsMethodAnnotationBeatsInterfaceAnnotationBeatsDefault() {
    CallOptions option = CallOptions.DEFAULT.with(ClusterOptions.LOAD_BALANCER, LoadBalancers.RANDOM);
    assertThat(plan("annotated", option).balancerName()).isEqualTo(LoadBalancers.RANDOM);
    assertThat(plan("annotated", CallOptions.DEFAULT).balancerName()).isEqualTo(LoadBalancers.ROUND_ROBIN);
    assertThat(plan("plain", CallOptions.DEFAULT).balancerName()).isEqualTo(LoadBalancers.LEAST_ACTIVE);
    assertThat(bare(CallOptions.DEFAULT).balancerName()).isEqualTo(LoadBalancers.P2C);
    assertThat(plan("annotated", CallOptions.DEFAULT).balancer()).isInstanceOf(RoundRobinLoadBalancer.class)
        .as("one balancer per service and name, shared by its plans")
        .isSameAs(plan("plain", CallOptions.DEFAULT.with(ClusterOptions.LOAD_BALANCER, LoadBalancers.ROUND_ROBIN))
            .balancer());
  }

  @Test
  void modeAndItsCountsOptionBeatsAnnotationBeatsDefault() {
    CallPlan annotated = plan("annotated", CallOptions.DEFAULT);
    assertThat(annotated.mode()).isEqualTo(ClusterMode.FAILOVER);
    assertThat(annotated.attempts()).isEqualTo(5);
    assertThat(annotated.strategy()).isSameAs(Failover.INSTANCE);
    CallPlan option = plan("annotated", CallOptions.DEFAULT.with(ClusterOptions.MODE, ClusterMode.FAILSAFE)
        .with(ClusterOptions.MAX_ATTEMPTS, 2));
    assertThat(option.mode()).isEqualTo(ClusterMode.FAILSAFE);
    assertThat(option.strategy()).isSameAs(Failsafe.INSTANCE);
    assertThat(option.attempts()).isEqualTo(2);
    assertThat(plan("plain", CallOptions.DEFAULT).mode()).as("the interface's").isEqualTo(ClusterMode.FAILFAST);
    CallPlan forked = plan("forked", CallOptions.DEFAULT);
    assertThat(forked.strategy()).isSameAs(Forking.INSTANCE);
    assertThat(forked.forks()).isEqualTo(4);
    assertThat(plan("forked", CallOptions.DEFAULT.with(ClusterOptions.FORKS, 2)).forks()).isEqualTo(2);
    CallPlan defaults = bare(CallOptions.DEFAULT);
    assertThat(defaults.mode()).isEqualTo(ClusterMode.FAILOVER);
    assertThat(defaults.attempts()).isEqualTo(CallPlanner.DEFAULT_ATTEMPTS);
    assertThat(defaults.forks()).isEqualTo(CallPlanner.DEFAULT_FORKS);
  }

  @Test
  void aStreamingMethodFailsOverInsteadOfForkingOrBroadcasting() {
    assertThat(plan("watch", CallOptions.DEFAULT).mode()).isEqualTo(ClusterMode.FAILOVER);
    assertThat(plan("watch", CallOptions.DEFAULT.with(ClusterOptions.MODE, ClusterMode.FORKING)).strategy())
        .isSameAs(Failover.INSTANCE);
  }

  @Test
  void theServiceKeyIsTheAnnotationsUnlessOptionsChooseAVersionOrGroup() {
    assertThat(plan("plain", CallOptions.DEFAULT).key()).isEqualTo(new ServiceKey(CATALOG, "1.0", ""));
    assertThat(plan("plain", CallOptions.DEFAULT.with(ClusterOptions.VERSION, " 2.0 ")
        .with(ClusterOptions.GROUP, "eu")).key()).isEqualTo(new ServiceKey(CATALOG, "2.0", "eu"));
  }

  @Test
  void aPlanAppliesToCallsWhoseClusterOptionsAreTheStubs() {
    CallPlan plan = plan("plain", CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)));
    assertThat(plan.appliesTo(plan.options())).isTrue();
    assertThat(plan.appliesTo(plan.options().withHeader(Metadata.Key.of("tenant"), "acme")))
        .as("headers an interceptor adds change nothing the plan resolved").isTrue();
    assertThat(plan.appliesTo(plan.options().with(ClusterOptions.MODE, ClusterMode.FAILSAFE))).isFalse();
    assertThat(plan.appliesTo(plan.options().with(ClusterOptions.LOAD_BALANCER, LoadBalancers.RANDOM))).isFalse();
    assertThat(plan.appliesTo(plan.options().with(ClusterOptions.GROUP, "eu"))).isFalse();
  }

  @Test
  void aServicesPlansAreCheckedAndMadeForEveryMethod() {
    List<CallPlan> plans = planner.plan(CATALOG, CallOptions.DEFAULT, NO_OP);
    assertThat(plans).extracting(p -> p.method().name()).containsExactly("annotated", "forked", "plain", "watch");
    assertThat(plans).allSatisfy(p -> assertThat(p.serializer()).isSameAs(NO_OP));
    assertThatThrownBy(() -> planner.plan(CATALOG, CallOptions.DEFAULT.with(ClusterOptions.FORKS, 0), NO_OP))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("courier.forks: 0 (expected: >= 1)");
  }
}
