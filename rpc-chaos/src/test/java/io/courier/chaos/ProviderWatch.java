package io.courier.chaos;

import io.courier.common.Endpoint;
import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a consumer's registry told it about one service over time: each provider list with the moment it arrived.
 * Subscribed to the same {@link Registry} object as the client, it sees exactly the lists the client sees.
 */
final class ProviderWatch implements AutoCloseable {

  /** A list as delivered: the providers' tcp endpoints, at {@code System.nanoTime()} {@code at}. */
  record Update(long at, Set<Endpoint> endpoints) {}

  private final List<Update> updates = new ArrayList<>(); // guarded by itself
  private final Registry.Subscription subscription;

  ProviderWatch(Registry registry, String service) {
    subscription = registry.subscribe(service, this::onProviders);
  }

  private void onProviders(List<ServiceInstance> providers) {
    Set<Endpoint> endpoints = providers.stream().map(p -> p.endpoint("tcp")).collect(Collectors.toSet());
    synchronized (updates) {
      updates.add(new Update(System.nanoTime(), endpoints));
    }
  }

  List<Update> updates() {
    synchronized (updates) {
      return List.copyOf(updates);
    }
  }

  /** Whether the latest list has {@code endpoint}. */
  boolean lists(Endpoint endpoint) {
    List<Update> all = updates();
    return !all.isEmpty() && all.get(all.size() - 1).endpoints().contains(endpoint);
  }

  /** The smallest number of providers any list since {@code since} had. */
  int fewestSince(long since) {
    return updates().stream().filter(u -> u.at() - since >= 0).mapToInt(u -> u.endpoints().size()).min()
        .orElse(Integer.MAX_VALUE);
  }

  /**
   * The longest stretch, after {@code since}, during which {@code endpoint} was missing from the list; a stretch
   * still open counts up to now.
   */
  Duration longestAbsenceSince(Endpoint endpoint, long since) {
    long longest = 0;
    long missingSince = -1;
    for (Update u : updates()) {
      if (u.at() - since < 0) {
        continue;
      }
      boolean listed = u.endpoints().contains(endpoint);
      if (!listed && missingSince < 0) {
        missingSince = u.at();
      } else if (listed && missingSince >= 0) {
        longest = Math.max(longest, u.at() - missingSince);
        missingSince = -1;
      }
    }
    if (missingSince >= 0) {
      longest = Math.max(longest, System.nanoTime() - missingSince);
    }
    return Duration.ofNanos(longest);
  }

  /** How many times {@code endpoint} went missing after {@code since}. */
  int absencesSince(Endpoint endpoint, long since) {
    int n = 0;
    boolean listed = true;
    for (Update u : updates()) {
      if (u.at() - since < 0) {
        continue;
      }
      boolean now = u.endpoints().contains(endpoint);
      if (listed && !now) {
        n++;
      }
      listed = now;
    }
    return n;
  }

  @Override
  public void close() {
    subscription.close();
  }
}
