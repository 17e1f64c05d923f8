package io.courier.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chaos.provider.Inventory;
import io.courier.chaos.provider.InventoryProvider;
import io.courier.client.RpcClient;
import io.courier.common.Endpoint;
import io.courier.common.StatusCode;
import io.courier.server.RpcServer;
import io.courier.transport.Transports;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attempt log around the in-process transport: what it records, and that it changes nothing. */
class AttemptLogTest {

  @Test
  void recordsEveryAttemptByEndpointWithItsOutcome() {
    AttemptLog attempts = AttemptLog.withTimeline();
    try (RpcServer server = RpcServer.builder().host("attempt-log-up").listen("inprocess", 0)
            .service(Inventory.class, new InventoryProvider("up")).build().start();
         RpcClient client = RpcClient.builder().transport(attempts.wrap(Transports.find("inprocess")))
            .address("attempt-log-up:0").address("attempt-log-gone:0").build()) {
      Inventory inventory = client.create(Inventory.class);
      for (int i = 0; i < 20; i++) {
        assertThat(inventory.stock("sku").provider()).isEqualTo("up"); // failover hides the missing provider
      }
    }
    Endpoint up = new Endpoint("attempt-log-up", 0);
    Endpoint gone = new Endpoint("attempt-log-gone", 0);
    assertThat(attempts.attempts(up)).isGreaterThanOrEqualTo(20);
    assertThat(attempts.failures(up)).isZero();
    assertThat(attempts.attempts(gone)).as("tried, then ejected").isPositive();
    assertThat(attempts.failures(gone)).isEqualTo(attempts.attempts(gone));
    assertThat(attempts.failureKinds()).containsOnlyKeys("UNAVAILABLE");

    List<AttemptLog.Attempt> timeline = attempts.timeline(gone);
    assertThat(timeline).hasSize((int) attempts.attempts(gone)).allSatisfy(a -> {
      assertThat(a.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(a.connectionLost()).isFalse();
      assertThat(a.endNanos() - a.startNanos()).isNotNegative();
    });
    assertThat(attempts.timeline(up)).allSatisfy(a -> assertThat(a.succeeded()).isTrue());
  }
}
