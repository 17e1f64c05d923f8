package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.CallOptions;
import io.courier.common.Status;
import org.junit.jupiter.api.Test;

class FailsafeTest {

  private final ScriptedCluster cluster = new ScriptedCluster();

  @Test
  void aFailureBecomesTheDefaultValueAfterOneAttempt() {
    cluster.fail("a", Status.INTERNAL.withDescription("broken"));
    CallPlan plan = cluster.plan("get", CallOptions.DEFAULT);
    assertThat(Failsafe.INSTANCE.run(ScriptedCluster.call(plan), plan, cluster.providers("a", "b"),
        cluster.attempts).join()).isNull();
    assertThat(cluster.called).containsExactly("a");
  }

  @Test
  void anAnswerIsReturned() {
    CallPlan plan = cluster.plan("get", CallOptions.DEFAULT);
    assertThat(Failsafe.INSTANCE.run(ScriptedCluster.call(plan), plan, cluster.providers("a"), cluster.attempts)
        .join()).isEqualTo("a");
  }
}
