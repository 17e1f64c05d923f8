package io.courier.chaos;

import io.courier.registry.zookeeper.ZooKeeperRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.state.ConnectionState;

/**
 * The connection states of some ZooKeeper registries over time, as Curator reports them ({@code SUSPENDED} when a
 * connection drops, {@code RECONNECTED} when the session is back, {@code LOST} when Curator gives the session up),
 * each with the moment it arrived, so that a scenario can say how long each registry was out of touch.
 */
final class SessionLog {

  /** {@code who} went to {@code state} at {@code System.nanoTime()} {@code at}. */
  record Change(String who, ConnectionState state, long at) {}

  private final List<Change> changes = new ArrayList<>(); // guarded by itself
  private final List<String> watched = new ArrayList<>(); // guarded by changes

  /** Records the connection states of {@code registry} from now on, under the name {@code who}. */
  void watch(String who, ZooKeeperRegistry registry) {
    synchronized (changes) {
      watched.add(who);
    }
    registry.curator().getConnectionStateListenable().addListener((client, state) -> {
      synchronized (changes) {
        changes.add(new Change(who, state, System.nanoTime()));
      }
    });
  }

  List<Change> since(long since) {
    synchronized (changes) {
      return changes.stream().filter(c -> c.at() - since >= 0).toList();
    }
  }

  /** How many times, since {@code since}, a registry went to {@code state}. */
  long count(ConnectionState state, long since) {
    return since(since).stream().filter(c -> c.state() == state).count();
  }

  /** The registries that lost their connection (went {@code SUSPENDED}) since {@code since}, in the order they did. */
  List<String> suspendedSince(long since) {
    return since(since).stream().filter(c -> c.state() == ConnectionState.SUSPENDED).map(Change::who).distinct()
        .toList();
  }

  /**
   * The longest stretch since {@code since} during which one registry was out of touch — from a {@code SUSPENDED}
   * or {@code LOST} to the next {@code CONNECTED} or {@code RECONNECTED}; a stretch still open counts up to now.
   */
  Duration longestOutOfTouch(long since) {
    Map<String, Long> outSince = new LinkedHashMap<>();
    long longest = 0;
    for (Change c : since(since)) {
      if (!c.state().isConnected()) {
        outSince.putIfAbsent(c.who(), c.at());
      } else {
        Long out = outSince.remove(c.who());
        if (out != null) {
          longest = Math.max(longest, c.at() - out);
        }
      }
    }
    long now = System.nanoTime();
    for (long out : outSince.values()) {
      longest = Math.max(longest, now - out);
    }
    return Duration.ofNanos(longest);
  }

  /** Whether every watched registry's latest state, if any since it was watched, is a connected one. */
  boolean allConnected() {
    Map<String, ConnectionState> last = new LinkedHashMap<>();
    synchronized (changes) {
      watched.forEach(w -> last.put(w, ConnectionState.CONNECTED));
      changes.forEach(c -> last.put(c.who(), c.state()));
    }
    return last.values().stream().allMatch(ConnectionState::isConnected);
  }

  /** {@code p1 SUSPENDED +3 ms, p1 RECONNECTED +812 ms, ...}, relative to {@code since}. */
  String describeSince(long since) {
    List<String> parts = new ArrayList<>();
    for (Change c : since(since)) {
      parts.add(c.who() + " " + c.state() + " +" + (c.at() - since) / 1_000_000 + " ms");
    }
    return parts.isEmpty() ? "no change" : String.join(", ", parts);
  }
}
