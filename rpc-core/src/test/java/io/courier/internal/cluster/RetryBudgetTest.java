package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  @Test
  void retriesStopWhenHalfTheTokensAreSpentAndResumeAfterAnswers() {
    RetryBudget budget = new RetryBudget(10, 0.5);
    for (int i = 0; i < 4; i++) {
      assertThat(budget.allowRetry()).isTrue();
      budget.onFailure();
    }
    assertThat(budget.allowRetry()).isTrue(); // 6 > 5
    budget.onFailure();
    assertThat(budget.allowRetry()).isFalse(); // 5 is not more than half
    budget.onAnswer();
    assertThat(budget.tokens()).isEqualTo(5.5);
    assertThat(budget.allowRetry()).isTrue();
  }

  @Test
  void settingsOutsideGrpcsBoundsAreRefusedSoThatASpentBudgetAlwaysRefills() {
    assertThatThrownBy(() -> RpcClient.builder().retryBudget(10, 0.0004))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenRatio: 4.0E-4 (expected: >= 0.001");
    assertThatThrownBy(() -> RpcClient.builder().retryBudget(3_000_000, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokens: 3000000 (expected: 1..1000)");
    RetryBudget smallest = new RetryBudget(1000, 0.001);
    for (int i = 0; i < 1000; i++) {
      smallest.onFailure();
    }
    smallest.onAnswer();
    assertThat(smallest.tokens()).isEqualTo(0.001);
  }

  @Test
  void tokensStayWithinZeroAndTheMaximum() {
    RetryBudget budget = new RetryBudget(3, 0.1);
    for (int i = 0; i < 10; i++) {
      budget.onFailure();
    }
    assertThat(budget.tokens()).isZero();
    for (int i = 0; i < 100; i++) {
      budget.onAnswer();
    }
    assertThat(budget.tokens()).isEqualTo(3.0);
  }
}
