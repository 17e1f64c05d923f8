package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.cluster.ClusterOptions;
import io.courier.cluster.Provider;
import io.courier.common.CallOptions;
import io.courier.common.RpcException;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailoverTest {

  private final ScriptedCluster cluster = new ScriptedCluster();

  @Test
  void triesOtherProvidersUpToThePlansAttemptsAndSaysWhichItTried() {
    Status down = Status.UNAVAILABLE.withDescription("down");
    cluster.fail("a", down).fail("b", down).fail("c", down).fail("d", down);
    CallPlan plan = cluster.plan("put", CallOptions.DEFAULT.with(ClusterOptions.MAX_ATTEMPTS, 3));
    RpcException e = failure(run(plan, cluster.providers("a", "b", "c", "d")));
    assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(e.status().description()).contains("down", "failed on all 3 attempts: [a:7070, b:7070, c:7070]");
    assertThat(cluster.called).containsExactly("a", "b", "c");
  }

  @Test
  void answersOnceAProviderAnswers() {
    cluster.fail("a", Status.UNAVAILABLE.withDescription("down"));
    CallPlan plan = cluster.plan("put", CallOptions.DEFAULT);
    assertThat(run(plan, cluster.providers("a", "b")).join()).isEqualTo("b");
    assertThat(cluster.attemptsSeen).hasSize(2).doesNotHaveDuplicates(); // each attempt is its own invocation
  }

  @Test
  void anAnswerIsNeverRetried() {
    cluster.fail("a", Status.NOT_FOUND.withDescription("no such key"));
    RpcException e = failure(run(cluster.plan("get", CallOptions.DEFAULT), cluster.providers("a", "b")));
    assertThat(e.status()).isEqualTo(Status.NOT_FOUND.withDescription("no such key"));
    assertThat(cluster.called).containsExactly("a");
  }

  @Test
  void aFailureThatMayHaveRunIsRetriedOnlyForAnIdempotentMethod() {
    cluster.fail("a", Status.INTERNAL.withDescription("disk full"));
    assertThat(run(cluster.plan("get", CallOptions.DEFAULT), cluster.providers("a", "b")).join()).isEqualTo("b");
    ScriptedCluster other = new ScriptedCluster().fail("a", Status.INTERNAL.withDescription("disk full"));
    CallPlan put = other.plan("put", CallOptions.DEFAULT);
    RpcException e = failure(Failover.INSTANCE.run(ScriptedCluster.call(put), put, other.providers("a", "b"),
        other.attempts));
    assertThat(e.status()).isEqualTo(Status.INTERNAL.withDescription("disk full"));
    assertThat(other.called).containsExactly("a");
  }

  @Test
  void isNotRetriedOnceTheDeadlineHasPassed() {
    cluster.fail("a", Status.UNAVAILABLE.withDescription("down"));
    CallPlan plan = cluster.plan("get", CallOptions.DEFAULT);
    CompletableFuture<Object> result = Failover.INSTANCE.run(ScriptedCluster.call(plan, Duration.ofNanos(-1)), plan,
        cluster.providers("a", "b"), cluster.attempts);
    assertThat(failure(result).status().description()).contains("not retried: the deadline has passed");
    assertThat(cluster.called).containsExactly("a");
  }

  @Test
  void aProviderAnsweringDeadlineExceededIsNotRetriedEvenForAnIdempotentMethodWithTimeLeft() {
    cluster.fail("a", Status.DEADLINE_EXCEEDED.withDescription("the provider's own deadline"));
    RpcException e = failure(run(cluster.plan("get", CallOptions.DEFAULT), cluster.providers("a", "b")));
    assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
    assertThat(cluster.called).containsExactly("a");
  }

  private CompletableFuture<Object> run(CallPlan plan, List<Provider> providers) {
    return Failover.INSTANCE.run(ScriptedCluster.call(plan), plan, providers, cluster.attempts);
  }

  static RpcException failure(CompletableFuture<Object> result) {
    assertThat(result).isDone();
    assertThatThrownBy(result::join).isInstanceOf(CompletionException.class).cause().isInstanceOf(RpcException.class);
    return (RpcException) result.handle((v, e) -> e instanceof CompletionException ? e.getCause() : e).join();
  }
}
