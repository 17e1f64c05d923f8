package io.courier.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class StatusTest {

  @Test
  void codesMatchGrpcNumbers() {
    assertThat(StatusCode.values()).hasSize(17);
    assertThat(StatusCode.UNAVAILABLE.value()).isEqualTo(14);
    assertThat(StatusCode.UNAUTHENTICATED.value()).isEqualTo(16);
    assertThat(StatusCode.fromValue(99)).isEqualTo(StatusCode.UNKNOWN);
    assertThat(Status.fromCodeValue(12)).isSameAs(Status.UNIMPLEMENTED);
    assertThat(Status.fromCodeValue(-1).description()).contains("-1");
  }

  @Test
  void fromThrowableFindsTheRpcStatusThroughWrappers() {
    RpcException e = Status.NOT_FOUND.withDescription("user 7").asException();
    assertThat(Status.fromThrowable(new CompletionException(e))).isEqualTo(e.status());
    assertThat(Status.fromThrowable(new TimeoutException("slow")).code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
    Status unknown = Status.fromThrowable(new IllegalStateException("boom"));
    assertThat(unknown.code()).isEqualTo(StatusCode.UNKNOWN);
    assertThat(unknown.cause()).isInstanceOf(IllegalStateException.class);
    assertThat(e).hasMessage("NOT_FOUND: user 7");
  }
}
