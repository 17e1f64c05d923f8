package io.courier.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteBudgetTest {

  @Test
  void aReservationCountsInTheChildAndEveryParent() {
    ByteBudget server = ByteBudget.of("server", 100);
    ByteBudget connection = server.child("connection", 60);
    assertThat(connection.tryReserve(50)).isTrue();
    assertThat(connection.used()).isEqualTo(50);
    assertThat(server.used()).isEqualTo(50);
    connection.release(50);
    assertThat(connection.used()).isZero();
    assertThat(server.used()).isZero();
  }

  @Test
  void aRefusalReservesNothingAnywhere() {
    ByteBudget server = ByteBudget.of("server", 100);
    ByteBudget a = server.child("a", 80);
    ByteBudget b = server.child("b", 80);
    assertThat(a.tryReserve(70)).isTrue();
    assertThat(b.tryReserve(40)).as("the server is full").isFalse();
    assertThat(b.used()).isZero();
    assertThat(server.used()).isEqualTo(70);
    assertThat(a.tryReserve(20)).as("the connection is full").isFalse();
    assertThat(server.used()).isEqualTo(70);
  }

  @Test
  void theExhaustedBudgetIsTheOneThatIsFull() {
    ByteBudget server = ByteBudget.of("server", 100);
    ByteBudget a = server.child("a", 80);
    ByteBudget b = server.child("b", 80);
    a.tryReserve(70);
    assertThat(a.exhausted(20)).isSameAs(a);
    assertThat(b.exhausted(40)).isSameAs(server);
    assertThat(a.exhausted(20).toString()).isEqualTo("a (70 of 80 bytes in use)");
  }

  @Test
  void whenReleasesRacedTheRefusalTheFullestBudgetIsNamed() {
    // the refusal happened with the connection full; by the time the message is written, a little was released:
    // neither budget is full for the bytes any more, and the connection (at 98 %) is the one to name, not the server
    ByteBudget server = ByteBudget.of("server", 1000);
    ByteBudget connection = server.child("connection", 100);
    connection.tryReserve(98);
    assertThat(connection.exhausted(1)).isSameAs(connection);
    assertThat(connection.exhausted(2)).isSameAs(connection);
  }

  @Test
  void anUnlimitedBudgetAdmitsEverythingAndCountsNothing() {
    ByteBudget unlimited = ByteBudget.unlimited();
    assertThat(unlimited.tryReserve(Long.MAX_VALUE)).isTrue();
    assertThat(unlimited.used()).isZero();
    assertThat(unlimited.child("c", Long.MAX_VALUE)).isSameAs(unlimited);
  }

  @Test
  void aNegativeLimitIsRefused() {
    assertThatThrownBy(() -> ByteBudget.of("x", -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x: -1 (expected: >= 0)");
  }
}
