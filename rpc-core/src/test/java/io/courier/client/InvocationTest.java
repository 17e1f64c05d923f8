package io.courier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.NoOpSerializerProvider;
import io.courier.common.CallOptions;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.serialization.TypeAllowlist;
import io.courier.transport.StreamListener;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvocationTest {

  @RpcService(name = "test.Ping")
  interface Ping {
    String ping();
  }

  private final Invocation call = new Invocation(ServiceDescriptor.of(Ping.class).method("ping"), new Object[0],
      CallOptions.DEFAULT, new NoOpSerializerProvider().create(TypeAllowlist.withDefaults()), null);

  @Test
  void onlyStubsMakeInvocationsAndInterceptorsDoNotSeeTheTransportsListener() {
    assertThat(Invocation.class.getConstructors()).as("public constructors").isEmpty();
    for (Method m : Invocation.class.getMethods()) {
      assertThat(m.getReturnType()).as("%s returns a transport type", m)
          .isNotEqualTo(StreamListener.class);
    }
  }

  @Test
  void cancellingTheCallCancelsEveryAttempt() {
    Invocation first = call.newAttempt();
    Invocation second = call.newAttempt();
    call.cancel(Status.DEADLINE_EXCEEDED);
    assertThat(first.cancellationStatus()).isEqualTo(Status.DEADLINE_EXCEEDED);
    assertThat(second.isCancelled()).isTrue();
    assertThat(call.newAttempt().isCancelled()).as("an attempt made after is born cancelled").isTrue();
  }

  @Test
  void aListenerThatThrowsDoesNotKeepTheOthersFromRunning() {
    List<String> ran = new ArrayList<>();
    call.onCancel(s -> {
      throw new IllegalStateException("event loop stopped");
    });
    call.onCancel(s -> ran.add("second"));
    call.onCancel(s -> ran.add("third"));
    assertThatThrownBy(() -> call.cancel(Status.CANCELLED)).hasMessage("event loop stopped");
    assertThat(ran).containsExactly("second", "third");
    assertThat(call.cancellationStatus()).isEqualTo(Status.CANCELLED);
  }

  @Test
  void cancellingOneAttemptLeavesTheCallAndTheOthers() {
    Invocation loser = call.newAttempt();
    Invocation winner = call.newAttempt();
    loser.cancel(Status.CANCELLED);
    assertThat(call.isCancelled()).isFalse();
    assertThat(winner.isCancelled()).isFalse();
    assertThat(loser.method()).isSameAs(call.method());
  }
}
