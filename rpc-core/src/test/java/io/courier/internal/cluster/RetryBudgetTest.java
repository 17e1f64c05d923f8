package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

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
