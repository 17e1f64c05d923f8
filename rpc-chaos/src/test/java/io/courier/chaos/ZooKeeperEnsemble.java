package io.courier.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.FourLetterWordMain;

/**
 * A ZooKeeper ensemble in this JVM (curator-test's {@link TestingCluster}: every server on free loopback ports, with
 * a data directory of its own that survives a kill), and what a scenario needs to break it: which server leads,
 * killing and restarting one, and waiting until a quorum serves.
 *
 * <p>Roles are read the way an operator reads them, with the {@code srvr} four-letter word on each server's client
 * port ({@code Mode: leader}, {@code Mode: follower}; a server that is electing a leader or has no quorum answers that
 * it is not serving). It is the one four-letter word ZooKeeper enables by default; curator-test 5.9 runs each server
 * as a {@code ZooKeeperServerEmbedded}, which gives no access to its {@code QuorumPeer}.
 *
 * <p>A kill is {@link TestingCluster#killServer}: the server stops in this JVM and its sockets close, so its clients
 * and peers see the connection drop at once, as with a crashed process; its data directory stays, and
 * {@link #restart} starts it again on the same ports from that data.
 */
final class ZooKeeperEnsemble implements AutoCloseable {

  /** What a server says it is. */
  enum Role {
    LEADER, FOLLOWER, STANDALONE,
    /** It answers but serves no client: electing a leader, syncing, or without a quorum. */
    NOT_SERVING,
    /** Nothing listens on its client port. */
    DOWN
  }

  private static final Pattern MODE = Pattern.compile("(?m)^Mode: (\\w+)");
  private static final int PROBE_TIMEOUT_MS = 1_000;
  private static final long PROBE_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final TestingCluster cluster;
  private final List<InstanceSpec> servers;
  private final Set<InstanceSpec> down = ConcurrentHashMap.newKeySet();

  private ZooKeeperEnsemble(TestingCluster cluster) {
    this.cluster = cluster;
    this.servers = cluster.getInstances().stream().sorted(Comparator.comparingInt(InstanceSpec::getServerId))
        .toList();
  }

  /** Starts {@code size} servers and waits until they serve: one leader, the others following. */
  static ZooKeeperEnsemble start(int size) throws Exception {
    TestingCluster cluster = new TestingCluster(size);
    try {
      cluster.start();
      ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble(cluster);
      ensemble.awaitServing(ensemble.servers, Duration.ofSeconds(60));
      return ensemble;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}: every server, as clients are given them. */
  String connectString() {
    return cluster.getConnectString();
  }

  List<InstanceSpec> servers() {
    return servers;
  }

  /** {@code zk1} for server id 1. */
  static String name(InstanceSpec server) {
    return "zk" + server.getServerId();
  }

  /** What {@code server} says it is now ({@code srvr}). */
  Role role(InstanceSpec server) {
    String answer;
    try {
      answer = FourLetterWordMain.send4LetterWord(server.getHostname(), server.getPort(), "srvr", false,
          PROBE_TIMEOUT_MS);
    } catch (IOException e) {
      return Role.DOWN;
    } catch (Exception e) {
      throw new IllegalStateException("srvr on " + name(server) + " failed", e);
    }
    Matcher m = MODE.matcher(answer);
    if (!m.find()) {
      return Role.NOT_SERVING; // "This ZooKeeper instance is not currently serving requests"
    }
    try {
      return Role.valueOf(m.group(1).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Role.NOT_SERVING; // observer, read-only: not a role these scenarios make
    }
  }

  /** The server that leads now; fails if none does (an election is running: {@link #awaitServing} first). */
  InstanceSpec leader() {
    return servers.stream().filter(s -> !down.contains(s) && role(s) == Role.LEADER).findFirst()
        .orElseThrow(() -> new AssertionError("no server leads: " + describe()));
  }

  /** The servers that follow now. */
  List<InstanceSpec> followers() {
    return servers.stream().filter(s -> !down.contains(s) && role(s) == Role.FOLLOWER).toList();
  }

  /** The servers running (not killed by this object). */
  List<InstanceSpec> running() {
    return servers.stream().filter(s -> !down.contains(s)).toList();
  }

  /** The server {@code zooKeeper} is connected to, or {@code null} if it is not connected. */
  InstanceSpec connectedTo(ZooKeeper zooKeeper) {
    try {
      return cluster.findConnectionInstance(zooKeeper);
    } catch (Exception e) {
      return null;
    }
  }

  void kill(InstanceSpec server) throws Exception {
    if (!cluster.killServer(server)) {
      throw new IllegalStateException("no server " + name(server) + " to kill");
    }
    down.add(server);
  }

  void restart(InstanceSpec server) throws Exception {
    if (!cluster.restartServer(server)) {
      throw new IllegalStateException("no server " + name(server) + " to restart");
    }
    down.remove(server);
  }

  /**
   * Waits until exactly {@code expected} serve — one of them leading, the others following — and returns how long
   * that took. A server outside {@code expected} may be down or not serving.
   */
  Duration awaitServing(Collection<InstanceSpec> expected, Duration timeout) {
    long start = System.nanoTime();
    poll("ZooKeeper servers " + names(expected) + " to serve, one leading", timeout, () -> {
      int leaders = 0;
      for (InstanceSpec s : expected) {
        Role role = role(s);
        if (role == Role.LEADER) {
          leaders++;
        } else if (role != Role.FOLLOWER) {
          return false;
        }
      }
      return leaders == 1;
    });
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Waits until none of {@code servers} serves clients (a quorum is lost), and returns how long that took. */
  Duration awaitNotServing(Collection<InstanceSpec> servers, Duration timeout) {
    long start = System.nanoTime();
    poll("ZooKeeper servers " + names(servers) + " to stop serving", timeout, () -> servers.stream()
        .map(this::role).allMatch(r -> r == Role.NOT_SERVING || r == Role.DOWN));
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Polls {@code condition} every {@link #PROBE_PERIOD_NANOS} (each poll opens a connection to every server, so not
   * every millisecond) until it holds; fails after {@code timeout}, saying what every server said last.
   */
  private void poll(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what + " ("
            + describe() + ")");
      }
      LockSupport.parkNanos(PROBE_PERIOD_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }

  /** {@code zk1 follower, zk2 leader, zk3 down}. */
  String describe() {
    List<String> parts = new ArrayList<>();
    for (InstanceSpec s : servers) {
      parts.add(name(s) + " " + role(s).name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
    return String.join(", ", parts);
  }

  static String names(Collection<InstanceSpec> servers) {
    return servers.stream().map(ZooKeeperEnsemble::name).collect(Collectors.joining(", "));
  }

  @Override
  public void close() throws IOException {
    cluster.close();
  }
}
