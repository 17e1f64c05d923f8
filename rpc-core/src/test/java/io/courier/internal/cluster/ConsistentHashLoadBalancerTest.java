package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.NoOpSerializerProvider;
import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.cluster.ClusterOptions;
import io.courier.cluster.LoadBalance;
import io.courier.cluster.LoadBalancers;
import io.courier.cluster.Provider;
import io.courier.common.CallOptions;
import io.courier.common.Metadata;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.serialization.TypeAllowlist;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsistentHashLoadBalancerTest {

  private static final int KEYS = 20_000;

  private final ConsistentHashLoadBalancer balancer = new ConsistentHashLoadBalancer();

  @Test
  void theSameKeyReachesTheSameProvider() {
    List<Provider> providers = providers(5);
    for (int k = 0; k < 200; k++) {
      Provider first = balancer.pick(providers, FakeProvider.call("user-" + k));
      for (int again = 0; again < 3; again++) {
        assertThat(balancer.pick(providers(5), FakeProvider.call("user-" + k)).endpoint())
            .isEqualTo(first.endpoint()); // also across new Provider objects for the same endpoints
      }
    }
  }

  @Test
  void keysSpreadOverProviders() {
    Map<String, String> owners = owners(providers(5));
    Map<String, Integer> counts = new HashMap<>();
    owners.values().forEach(p -> counts.merge(p, 1, Integer::sum));
    assertThat(counts).hasSize(5);
    counts.values().forEach(n -> assertThat(n / (double) KEYS).isBetween(0.12, 0.28));
  }

  @Test
  void aProviderLeavingMovesOnlyItsKeys() {
    List<Provider> five = providers(5);
    Map<String, String> before = owners(five);
    List<Provider> four = new ArrayList<>(five);
    Provider leaving = four.remove(2);
    Map<String, String> after = owners(four);
    int moved = 0;
    for (String key : before.keySet()) {
      if (!before.get(key).equals(after.get(key))) {
        moved++;
        assertThat(before.get(key)).isEqualTo(leaving.endpoint().host()); // only the leaver's keys move
      }
    }
    assertThat(moved / (double) KEYS).isBetween(0.2 * 0.65, 0.2 * 1.35); // about 1/N
  }

  @Test
  void aProviderJoiningTakesAboutOneNthOfTheKeysAndNothingElseMoves() {
    Map<String, String> before = owners(providers(5));
    Map<String, String> after = owners(providers(6));
    int moved = 0;
    for (String key : before.keySet()) {
      if (!before.get(key).equals(after.get(key))) {
        moved++;
        assertThat(after.get(key)).isEqualTo("p5"); // keys only move to the newcomer
      }
    }
    assertThat(moved / (double) KEYS).isBetween((1 / 6.0) * 0.65, (1 / 6.0) * 1.35);
  }

  @Test
  void theKeyCanBeAHeaderOrAnotherArgument() {
    Metadata.Key<String> user = Metadata.Key.of("x-user");
    CallOptions byHeader = CallOptions.DEFAULT.with(ClusterOptions.HASH_HEADER, "x-user");
    Invocation a = FakeProvider.call("ignored-1", byHeader.withHeader(user, "alice"));
    Invocation b = FakeProvider.call("ignored-2", byHeader.withHeader(user, "alice"));
    assertThat(balancer.keyOf(a)).isEqualTo("alice").isEqualTo(balancer.keyOf(b));

    CallOptions bySecond = CallOptions.DEFAULT.with(ClusterOptions.HASH_ARGUMENT, 1);
    assertThat(balancer.keyOf(FakeProvider.call("u", bySecond))).isEqualTo("0");
    assertThat(balancer.keyOf(FakeProvider.call("u"))).isEqualTo("u"); // the first argument by default
  }

  @RpcService(name = "test.Sessions")
  interface Sessions {
    @LoadBalance(value = LoadBalancers.CONSISTENT_HASH, hashArgument = 1)
    String touch(String ignored, String sessionId);

    @LoadBalance(value = LoadBalancers.CONSISTENT_HASH, hashHeader = "x-session")
    String peek();
  }

  @Test
  void theKeyCanBeChosenByAnnotation() {
    ServiceDescriptor sessions = ServiceDescriptor.of(Sessions.class);
    var serializer = new NoOpSerializerProvider().create(TypeAllowlist.withDefaults());
    Invocation touch = InternalInvocation.unplanned(sessions.method("touch"), new Object[] {"x", "s-42"},
        CallOptions.DEFAULT, serializer, null);
    assertThat(balancer.keyOf(touch)).isEqualTo("s-42");
    Invocation peek = InternalInvocation.unplanned(sessions.method("peek"), new Object[0],
        CallOptions.DEFAULT.withHeader(Metadata.Key.of("x-session"), "s-7"), serializer, null);
    assertThat(balancer.keyOf(peek)).isEqualTo("s-7");
  }

  private Map<String, String> owners(List<Provider> providers) {
    Map<String, String> owners = new HashMap<>();
    for (int k = 0; k < KEYS; k++) {
      owners.put("key-" + k, balancer.pick(providers, FakeProvider.call("key-" + k)).endpoint().host());
    }
    return owners;
  }

  private static List<Provider> providers(int n) {
    List<Provider> providers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      providers.add(new FakeProvider("p" + i, 100));
    }
    return providers;
  }
}
