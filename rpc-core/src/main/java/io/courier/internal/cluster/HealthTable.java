package io.courier.internal.cluster;

import io.courier.common.Endpoint;
import io.courier.registry.ServiceInstance;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of every endpoint a client knows, shared by all its services; entries go when discovery drops them.
 * An endpoint that registers again — a provider restarted on the same address — gets a new health: what the client
 * saw of the process before (an ejection, a latency average) says nothing about the new one, which starts its slow
 * start instead. Providers in the first list of a service start at their full share: there is no traffic yet to
 * ease them into, and ramping them all together would change nothing between them. Invariant: an entry's
 * registration record is read and replaced only inside the map's {@code compute} for its endpoint; a dropped entry
 * is taken back only there.
 */
public final class HealthTable {

  private static final Logger log = LoggerFactory.getLogger(HealthTable.class);

  /**
   * One endpoint's health and the registration it belongs to: the newest start time seen, and the instance ids
   * registered with it (one per service the provider serves); both null and empty without a registry.
   */
  private record Known(EndpointHealth health, Instant startTime, Set<String> ids) {}

  /** A registered endpoint's health after discovery dropped it, and when. */
  private record Dropped(Known known, long at) {}

  /** How long the health of a dropped registration is kept in case the same registration is listed again. */
  static final long KEEP_DROPPED_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Map<Endpoint, Known> byEndpoint = new ConcurrentHashMap<>();
  private final Map<Endpoint, Dropped> dropped = new ConcurrentHashMap<>();
  private final SlowStart slowStart;
  private final LongSupplier clock;

  public HealthTable(SlowStart slowStart, LongSupplier clock) {
    this.slowStart = slowStart;
    this.clock = clock;
  }

  /**
   * The health of an endpoint given without a registration (a fixed address list).
   *
   * @param initial whether the endpoint is in the first list the caller has for its service: a new health then
   *     skips slow start, as no traffic is going anywhere else yet
   */
  EndpointHealth get(Endpoint endpoint, boolean initial) {
    return byEndpoint.computeIfAbsent(endpoint, e -> fresh(e, null, null, initial)).health();
  }

  /**
   * The health of {@code endpoint} as registered by {@code instance}. A new health replaces the one known when the
   * instance is a new registration of the endpoint: started after the registration the health belongs to, and
   * either one of its ids is new or {@code replacedInView} (the caller's list had this endpoint under an older
   * registration just before). The ids keep a provider's other services, registered with the same start time, and
   * a registry that makes up a start time per subscription ({@code static://}), from resetting it.
   *
   * @param initial as for {@link #get(Endpoint, boolean)}; a provider registered again always starts slowly
   */
  EndpointHealth get(Endpoint endpoint, ServiceInstance instance, boolean replacedInView, boolean initial) {
    Instant startTime = instance.startTime();
    String id = instance.id();
    return byEndpoint.compute(endpoint, (e, known) -> {
      if (known == null) {
        Dropped before = dropped.remove(e);
        if (before != null && startTime.equals(before.known().startTime()) && before.known().ids().contains(id)
            && clock.getAsLong() - before.at() < KEEP_DROPPED_NANOS) {
          return before.known(); // the same registration back after a blink (a session re-created): same process
        }
        return fresh(e, startTime, id, initial);
      }
      if (known.startTime() != null && startTime.isAfter(known.startTime())
          && (replacedInView || !known.ids().contains(id))) {
        EndpointHealth old = known.health();
        if (old.isEjected()) {
          log.info("{} registered again (started {}): no longer ejected, slow start begins", e, startTime);
        } else {
          log.debug("{} registered again (started {}): its health starts afresh", e, startTime);
        }
        return fresh(e, startTime, id, false);
      }
      if (!startTime.equals(known.startTime()) || known.ids().contains(id)) {
        return known; // an older registration still listed somewhere, or one already known
      }
      Set<String> ids = new HashSet<>(known.ids());
      ids.add(id);
      return new Known(known.health(), known.startTime(), Set.copyOf(ids));
    }).health();
  }

  /**
   * Forgets an endpoint discovery no longer lists. The health of a registration is kept for
   * {@link #KEEP_DROPPED_NANOS} still: the same registration listed again within that time — it blinked out of the
   * registry, as when a provider's ZooKeeper session is re-created — is the same process, and gets its health back
   * (no slow start, its ejection and latency average as they were).
   */
  /** What this client has seen of {@code endpoint}, for the console; {@code null} if it does not list it. */
  public View view(Endpoint endpoint) {
    Known known = byEndpoint.get(endpoint);
    if (known == null) {
      return null;
    }
    EndpointHealth h = known.health();
    return new View(h.inFlight(), h.consecutiveFailures(), h.isEjected(), h.hasAnswered());
  }

  /**
   * One endpoint's health as {@link #view} reads it.
   *
   * @param answered whether an attempt to it has succeeded since the client listed it
   */
  public record View(int inFlight, int consecutiveFailures, boolean ejected, boolean answered) {}

  void remove(Endpoint endpoint) {
    Known known = byEndpoint.remove(endpoint);
    long now = clock.getAsLong();
    dropped.values().removeIf(d -> now - d.at() >= KEEP_DROPPED_NANOS);
    if (known != null && known.startTime() != null) {
      dropped.put(endpoint, new Dropped(known, now));
    }
  }

  private Known fresh(Endpoint endpoint, Instant startTime, String id, boolean initial) {
    return new Known(new EndpointHealth(endpoint, clock.getAsLong(), initial ? SlowStart.OFF : slowStart), startTime,
        id == null ? Set.of() : Set.of(id));
  }

  @Override
  public String toString() {
    return byEndpoint.values().stream().map(Known::health).toList().toString();
  }
}
