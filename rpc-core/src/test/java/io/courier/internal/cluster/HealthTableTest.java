package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.Endpoint;
import io.courier.internal.cluster.Failures.Outcome;
import io.courier.registry.ServiceInstance;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When an endpoint's health carries over from one registration to the next, and when it starts afresh. */
class HealthTableTest {

  private static final long MS = 1_000_000L;
  private static final OutlierDetection ONE_HOUR = new OutlierDetection(1, Duration.ofHours(1), Duration.ofHours(1));
  private static final Endpoint ENDPOINT = new Endpoint("10.0.0.1", 7070);
  private static final Instant STARTED = Instant.parse("2025-01-01T10:00:00Z");

  private long now = 1_000_000 * MS;
  private final HealthTable table = new HealthTable();

  @Test
  void aProviderRegisteredAgainAfterARestartStartsAfreshNotEjected() {
    EndpointHealth before = table.get(ENDPOINT, instance("orders-1", STARTED), false);
    now += 60_000 * MS;
    ejectForAnHour(before);
    now += 5_000 * MS;
    // The crashed process's node is still there; the new process has registered beside it, on the same address.
    EndpointHealth after = table.get(ENDPOINT, instance("orders-2", STARTED.plusSeconds(65)), true);
    assertThat(after).isNotSameAs(before);
    assertThat(after.isAvailable(now)).isTrue();
    assertThat(after.inFlight()).isZero();
    assertThat(after.latencyNanos(now)).isZero();
    assertThat(table.get(ENDPOINT, instance("orders-2", STARTED.plusSeconds(65)), false)).isSameAs(after);
  }

  @Test
  void theSameRegistrationListedAgainKeepsItsHealth() {
    ServiceInstance registration = instance("orders-1", STARTED);
    EndpointHealth health = table.get(ENDPOINT, registration, false);
    ejectForAnHour(health);
    // as after a ZooKeeper session expiry: the provider creates the same node again
    assertThat(table.get(ENDPOINT, registration, true)).isSameAs(health);
    assertThat(health.isAvailable(now)).isFalse();
  }

  @Test
  void theProvidersOtherServicesShareItsHealth() {
    EndpointHealth orders = table.get(ENDPOINT, instance("orders-1", STARTED), false);
    EndpointHealth carts = table.get(ENDPOINT, ServiceInstance.builder("acme.Carts").id("carts-1").host("10.0.0.1")
        .port("tcp", 7070).startTime(STARTED).build(), false);
    assertThat(carts).isSameAs(orders);
  }

  @Test
  void aRegistryThatMakesUpAStartTimePerSubscriptionDoesNotResetIt() {
    // static:// gives an address the same id in every subscription, with the time of that subscription.
    EndpointHealth first = table.get(ENDPOINT, instance("static_10.0.0.1_7070", STARTED), false);
    ejectForAnHour(first);
    assertThat(table.get(ENDPOINT, instance("static_10.0.0.1_7070", STARTED.plusSeconds(30)), false))
        .isSameAs(first);
  }

  @Test
  void aRestartedProviderThatKeepsItsIdIsSeenThroughTheListThatReplacedIt() {
    EndpointHealth before = table.get(ENDPOINT, instance("orders-a", STARTED), false);
    ejectForAnHour(before);
    EndpointHealth after = table.get(ENDPOINT, instance("orders-a", STARTED.plusSeconds(30)), true);
    assertThat(after).isNotSameAs(before);
    assertThat(after.isAvailable(now)).isTrue();
  }

  @Test
  void anOlderRegistrationStillListedElsewhereDoesNotTurnItBack() {
    table.get(ENDPOINT, instance("orders-1", STARTED), false);
    EndpointHealth current = table.get(ENDPOINT, instance("orders-2", STARTED.plusSeconds(30)), true);
    assertThat(table.get(ENDPOINT, instance("orders-1", STARTED), false)).isSameAs(current);
    assertThat(table.get(ENDPOINT, instance("carts-1", STARTED), true)).isSameAs(current);
  }

  @Test
  void aFixedAddressHasOneHealthForEver() {
    EndpointHealth health = table.get(ENDPOINT);
    assertThat(table.get(ENDPOINT)).isSameAs(health);
    table.remove(ENDPOINT);
    assertThat(table.get(ENDPOINT)).isNotSameAs(health);
  }

  private void ejectForAnHour(EndpointHealth health) {
    health.started();
    health.finished(now, MS, Outcome.UNREACHABLE, ONE_HOUR);
    assertThat(health.isAvailable(now)).isFalse();
  }

  private static ServiceInstance instance(String id, Instant startTime) {
    return ServiceInstance.builder("acme.Orders").id(id).host("10.0.0.1").port("tcp", 7070).startTime(startTime)
        .build();
  }
}
