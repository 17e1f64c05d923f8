package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.CallOptions;
import io.courier.common.Status;
import org.junit.jupiter.api.Test;

class FailfastTest {

  private final ScriptedCluster cluster = new ScriptedCluster();

  @Test
  void makesOneAttemptEvenWhenAnotherProviderCouldAnswer() {
    cluster.fail("a", Status.UNAVAILABLE.withDescription("down"));
    CallPlan plan = cluster.plan("get", CallOptions.DEFAULT);
    assertThat(FailoverTest.failure(Failfast.INSTANCE.run(ScriptedCluster.call(plan), plan,
        cluster.providers("a", "b"), cluster.attempts)).status()).isEqualTo(Status.UNAVAILABLE.withDescription("down"));
    assertThat(cluster.called).containsExactly("a");
  }

  @Test
  void answersWithTheProvidersValue() {
    CallPlan plan = cluster.plan("get", CallOptions.DEFAULT);
    assertThat(Failfast.INSTANCE.run(ScriptedCluster.call(plan), plan, cluster.providers("a", "b"),
        cluster.attempts).join()).isEqualTo("a");
  }
}
