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
  private final HealthTable table = new HealthTable(SlowStart.DEFAULT, () -> now);

  @Test
  void aProviderRegisteredAgainAfterARestartStartsAfreshNotEjectedAndInSlowStart() {
    EndpointHealth before = table.get(ENDPOINT, instance("orders-1", STARTED), false, false);
    now += 60_000 * MS;
    ejectForAnHour(before);
    now += 5_000 * MS;
    // The crashed process's node is still there; the new process has registered beside it, on the same address.
    EndpointHealth after = table.get(ENDPOINT, instance("orders-2", STARTED.plusSeconds(65)), true, false);
    assertThat(after).isNotSameAs(before);
    assertThat(after.isAvailable(now)).isTrue();
    assertThat(after.inFlight()).isZero();
    assertThat(after.latencyNanos(now)).isZero();
    assertThat(after.slowStartFactor(() -> now)).isEqualTo(SlowStart.DEFAULT_FLOOR);
    assertThat(table.get(ENDPOINT, instance("orders-2", STARTED.plusSeconds(65)), false, false)).isSameAs(after);
  }

  @Test
  void theSameRegistrationListedAgainKeepsItsHealth() {
    ServiceInstance registration = instance("orders-1", STARTED);
    EndpointHealth health = table.get(ENDPOINT, registration, false, false);
    ejectForAnHour(health);
    // as after a ZooKeeper session expiry: the provider creates the same node again
    assertThat(table.get(ENDPOINT, registration, true, false)).isSameAs(health);
    assertThat(health.isAvailable(now)).isFalse();
  }

  @Test
  void theProvidersOtherServicesShareItsHealth() {
    EndpointHealth orders = table.get(ENDPOINT, instance("orders-1", STARTED), false, false);
    EndpointHealth carts = table.get(ENDPOINT, ServiceInstance.builder("acme.Carts").id("carts-1").host("10.0.0.1")
        .port("tcp", 7070).startTime(STARTED).build(), false, false);
    assertThat(carts).isSameAs(orders);
  }

  @Test
  void aRegistryThatMakesUpAStartTimePerSubscriptionDoesNotResetIt() {
    // static:// gives an address the same id in every subscription, with the time of that subscription.
    EndpointHealth first = table.get(ENDPOINT, instance("static_10.0.0.1_7070", STARTED), false, false);
    ejectForAnHour(first);
    assertThat(table.get(ENDPOINT, instance("static_10.0.0.1_7070", STARTED.plusSeconds(30)), false, false))
        .isSameAs(first);
  }

  @Test
  void aRestartedProviderThatKeepsItsIdIsSeenThroughTheListThatReplacedIt() {
    EndpointHealth before = table.get(ENDPOINT, instance("orders-a", STARTED), false, false);
    ejectForAnHour(before);
    EndpointHealth after = table.get(ENDPOINT, instance("orders-a", STARTED.plusSeconds(30)), true, false);
    assertThat(after).isNotSameAs(before);
    assertThat(after.isAvailable(now)).isTrue();
  }

  @Test
  void anOlderRegistrationStillListedElsewhereDoesNotTurnItBack() {
    table.get(ENDPOINT, instance("orders-1", STARTED), false, false);
    EndpointHealth current = table.get(ENDPOINT, instance("orders-2", STARTED.plusSeconds(30)), true, false);
    assertThat(table.get(ENDPOINT, instance("orders-1", STARTED), false, false)).isSameAs(current);
    assertThat(table.get(ENDPOINT, instance("carts-1", STARTED), true, false)).isSameAs(current);
  }

  @Test
  void providersOfAServicesFirstListStartAtAFullShareLaterOnesSlowly() {
    assertThat(table.get(ENDPOINT, instance("orders-1", STARTED), false, true).slowStartFactor(() -> now))
        .isEqualTo(1);
    Endpoint joined = new Endpoint("10.0.0.2", 7070);
    assertThat(table.get(joined, ServiceInstance.builder("acme.Orders").id("orders-2").host("10.0.0.2")
        .port("tcp", 7070).startTime(STARTED).build(), false, false).slowStartFactor(() -> now))
        .isEqualTo(SlowStart.DEFAULT_FLOOR);
    assertThat(table.get(new Endpoint("10.0.0.3", 7070), true).slowStartFactor(() -> now)).isEqualTo(1);
    assertThat(table.get(new Endpoint("10.0.0.4", 7070), false).slowStartFactor(() -> now))
        .isEqualTo(SlowStart.DEFAULT_FLOOR);
  }

  @Test
  void aRegistrationThatBlinksOutOfTheRegistryAndBackKeepsItsHealth() {
    ServiceInstance registration = instance("orders-1", STARTED);
    EndpointHealth health = table.get(ENDPOINT, registration, false, false);
    now += 20_000 * MS; // past its slow start
    assertThat(health.slowStartFactor(() -> now)).isEqualTo(1);
    ejectForAnHour(health);
    table.remove(ENDPOINT); // its ZooKeeper session expired: the node is gone for a moment
    now += 2_000 * MS;
    assertThat(table.get(ENDPOINT, registration, false, false)).as("the same process, back at its full share")
        .isSameAs(health);
    assertThat(health.isAvailable(now)).isFalse();
  }

  @Test
  void aDroppedRegistrationIsForgottenAfterAMinuteAndAnotherOneStartsAfresh() {
    ServiceInstance registration = instance("orders-1", STARTED);
    EndpointHealth health = table.get(ENDPOINT, registration, false, false);
    table.remove(ENDPOINT);
    now += 60_000 * MS;
    assertThat(table.get(ENDPOINT, registration, false, false)).isNotSameAs(health);

    EndpointHealth second = table.get(ENDPOINT, registration, false, false);
    table.remove(ENDPOINT);
    assertThat(table.get(ENDPOINT, instance("orders-2", STARTED.plusSeconds(90)), false, false))
        .as("a restart while it was out").isNotSameAs(second);
  }

  @Test
  void aFixedAddressHasOneHealthForEver() {
    EndpointHealth health = table.get(ENDPOINT, true);
    assertThat(table.get(ENDPOINT, true)).isSameAs(health);
    table.remove(ENDPOINT);
    assertThat(table.get(ENDPOINT, true)).isNotSameAs(health);
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
