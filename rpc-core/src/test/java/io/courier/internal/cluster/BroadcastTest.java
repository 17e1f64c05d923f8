package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.CallOptions;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import org.junit.jupiter.api.Test;

class BroadcastTest {

  private final ScriptedCluster cluster = new ScriptedCluster();

  @Test
  void reachesEveryProviderAndAnswersWithTheFirstsValue() {
    CallPlan plan = cluster.plan("put", CallOptions.DEFAULT);
    assertThat(Broadcast.INSTANCE.run(ScriptedCluster.call(plan), plan, cluster.providers("a", "b", "c"),
        cluster.attempts).join()).isEqualTo("a");
    assertThat(cluster.called).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void failsIfAnyProviderFailsNamingThem() {
    cluster.fail("b", Status.INTERNAL.withDescription("cache locked"));
    CallPlan plan = cluster.plan("put", CallOptions.DEFAULT);
    var e = FailoverTest.failure(Broadcast.INSTANCE.run(ScriptedCluster.call(plan), plan,
        cluster.providers("a", "b", "c"), cluster.attempts));
    assertThat(e.code()).isEqualTo(StatusCode.INTERNAL);
    assertThat(e.status().description()).contains("cache locked",
        "broadcast: 1 of 3 providers failed: [b:7070 (INTERNAL)]");
    assertThat(cluster.called).hasSize(3);
  }
}
