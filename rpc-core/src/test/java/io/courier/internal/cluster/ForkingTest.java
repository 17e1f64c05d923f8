package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.Invocation;
import io.courier.cluster.ClusterOptions;
import io.courier.common.CallOptions;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import org.junit.jupiter.api.Test;

class ForkingTest {

  private final ScriptedCluster cluster = new ScriptedCluster();

  @Test
  void goesToThePlansForksAtOnceTakesTheFirstAnswerAndCancelsTheRest() {
    cluster.hang("a").hang("b");
    CallPlan plan = cluster.plan("get", CallOptions.DEFAULT.with(ClusterOptions.FORKS, 3));
    assertThat(Forking.INSTANCE.run(ScriptedCluster.call(plan), plan, cluster.providers("a", "b", "c", "d"),
        cluster.attempts).join()).isEqualTo("c");
    assertThat(cluster.called).containsExactly("a", "b", "c");
    for (Invocation loser : cluster.attemptsSeen.subList(0, 2)) {
      assertThat(loser.cancellationStatus().description()).isEqualTo("another provider answered test.Stock/get first");
    }
  }

  @Test
  void failsOnlyWhenEveryForkHasFailed() {
    Status down = Status.UNAVAILABLE.withDescription("down");
    cluster.fail("a", down).fail("b", down);
    CallPlan plan = cluster.plan("get", CallOptions.DEFAULT); // the default: 2 forks
    var e = FailoverTest.failure(Forking.INSTANCE.run(ScriptedCluster.call(plan), plan,
        cluster.providers("a", "b", "c"), cluster.attempts));
    assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(e.status().description()).contains("all 2 forks failed: [a:7070, b:7070]");
  }
}
