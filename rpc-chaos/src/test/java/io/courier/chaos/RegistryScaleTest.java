package io.courier.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chaos.load.LoadDriver;
import io.courier.chaos.load.LoadReport;
import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import io.courier.registry.zookeeper.ZooKeeperRegistry;
import io.courier.testing.Polling;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry at scale: 1,000 providers over 100 services registering, churning (a provider leaves and a new one
 * takes its place, as in a rolling deployment) and leaving, while a client subscribed to all 100 services watches.
 * The registrations are {@link Registry#register} calls from a handful of registry clients (each a ZooKeeper
 * session of its own, as a host running many providers would have), not real servers: what is measured is the
 * registry.
 *
 * <p>Measured:
 * <ul>
 *   <li><b>notification delay</b>: from the moment {@code register} or {@code unregister} is called to the moment the
 *       client's registry delivers a provider list that shows the change — the moment a client's directory applies
 *       it ({@code RegistryDirectory} applies each list within the registry's delivery). Both instants are
 *       {@code System.nanoTime()} in this JVM. Lists are observed by a listener on the client's registry;
 *   <li><b>the client's heap</b>: used heap after a full collection with the client subscribed to every service
 *       (1,000 providers known), less the same after it is closed and dropped, everything else unchanged. Taken after
 *       the churn and again for a new client that subscribes to the same 1,000 providers from cold, so that growth
 *       over the churn would show;
 *   <li>how long a new client takes to have every list ("cold start"), and what {@code register}/{@code unregister}
 *       themselves take.
 * </ul>
 *
 * <p>Asserted: no registration or deregistration fails; the client sees every change, and ends with exactly the
 * providers registered; the client's heap after the churn is not above its cold footprint by more than
 * {@link #HEAP_SLACK_BYTES} or {@link #HEAP_SLACK_RATIO}. Delays are reported, not asserted: on a shared machine they
 * measure its load as much as the registry.
 */
class RegistryScaleTest {

  private static final long HEAP_SLACK_BYTES = 8L << 20;
  private static final double HEAP_SLACK_RATIO = 0.5;
  private static final Duration SEE_TIMEOUT = Duration.ofSeconds(60);

  private final int services = ChaosSettings.number("registryScale.services", 100, 100);
  private final int providers = ChaosSettings.number("registryScale.providers", 1000, 1000);
  private final int registrants = ChaosSettings.number("registryScale.registrants", 5, 5);
  /** Registrations a second while providers join, deregistrations a second while they leave. */
  private final int rate = ChaosSettings.number("registryScale.rate", 500, 200);
  /** Replacements a second (each a deregistration and a registration) during the churn. */
  private final int churnRate = ChaosSettings.number("registryScale.churnRate", 250, 100);
  private final Duration churn = ChaosSettings.duration("registryScale.churn", "2s", "3m");
  /** Whether the client saves every list it receives to a snapshot file ({@code ?snapshot=}), as production may. */
  private final boolean snapshot = ChaosSettings.flag("registryScale.snapshot", false, false);

  @TempDir
  Path snapshots;

  @Test
  void aClientSubscribedToEveryServiceSeesEveryChangeAndKeepsItsHeap() throws Exception {
    String scenario = String.format("registry scale: %,d providers over %d services%s", providers, services,
        snapshot ? ", client with a snapshot file" : "");
    try (ChaosCluster cluster = new ChaosCluster()) {
      List<ZooKeeperRegistry> hosts = new ArrayList<>();
      for (int i = 0; i < registrants; i++) {
        hosts.add(cluster.registry(Duration.ofSeconds(30)));
      }
      Fleet fleet = new Fleet(hosts);
      Observed observed = new Observed(fleet);
      // the client open now, closed with the cluster if the scenario fails; the cluster holds nothing else of it
      AtomicReference<ClientView> open = new AtomicReference<>();
      cluster.own(() -> {
        ClientView left = open.getAndSet(null);
        if (left != null) {
          left.close();
        }
      });

      ClientView client = new ClientView(cluster.connectString(), observed);
      open.set(client);
      client.subscribeAll();

      // join
      LoadReport join = fleet.run("register", providers, rate, slot -> fleet.join(slot));
      observed.awaitSeen(fleet.joined(0, providers), "every registration");
      ChaosResults.print(scenario, phase("join", join, observed.joinDelays(fleet.joined(0, providers))));
      client.assertSees(fleet.expected());

      // churn: a provider leaves and another takes its place
      int replacements = (int) Math.max(1, churnRate * churn.toMillis() / 1000);
      int churnFrom = fleet.registrations();
      LoadReport churned = fleet.run("replace", replacements, churnRate, seq -> fleet.replace(seq));
      List<String> churnJoined = fleet.joined(churnFrom, fleet.registrations());
      List<String> churnLeft = fleet.left();
      observed.awaitSeen(churnJoined, "every registration of the churn");
      observed.awaitGone(churnLeft, "every deregistration of the churn");
      ChaosResults.print(scenario, phase("churn, registrations", churned, observed.joinDelays(churnJoined)));
      ChaosResults.print(scenario, phase("churn, deregistrations", null, observed.leaveDelays(churnLeft)));
      client.assertSees(fleet.expected());

      // the client's heap: with it, then without it (closed and dropped), nothing else changed
      long withClient = SoakTest.heapAfterGc();
      open.set(null);
      client.close();
      client = null;
      long withoutClient = SoakTest.heapAfterGc();
      long afterChurn = withClient - withoutClient;

      // a new client, from cold, to the same providers
      Observed cold = new Observed(fleet);
      long coldStart = System.nanoTime();
      client = new ClientView(cluster.connectString(), cold);
      open.set(client);
      client.subscribeAll();
      cold.awaitSeen(fleet.current(), "every provider, by a new client");
      Duration coldStartTime = Duration.ofNanos(System.nanoTime() - coldStart);
      long coldFootprint = SoakTest.heapAfterGc() - withoutClient;
      long bound = coldFootprint + Math.max(HEAP_SLACK_BYTES, (long) (coldFootprint * HEAP_SLACK_RATIO));
      ChaosResults.print(scenario, String.format("client subscribed to %d services, %,d providers known: heap %s after"
              + " %,d registrations and %,d deregistrations, %s for a new client (bound %s); the new client had every"
              + " list %d ms after it started; whole JVM heap after GC %s without a client (ZooKeeper, %d registry"
              + " clients, the test)", services, providers, mib(afterChurn), fleet.registrations(),
          fleet.left().size(), mib(coldFootprint), mib(bound), coldStartTime.toMillis(), mib(withoutClient),
          registrants));

      // leave, watched by the new client
      List<String> leaving = fleet.current();
      LoadReport leave = fleet.run("unregister", providers, rate, slot -> fleet.leave(slot));
      cold.awaitGone(leaving, "every deregistration");
      ChaosResults.print(scenario, phase("leave", leave, cold.leaveDelays(leaving)));
      client.assertSees(fleet.expected());
      open.set(null);
      client.close();

      assertThat(join.failed()).as(join.details()).isZero();
      assertThat(churned.failed()).as(churned.details()).isZero();
      assertThat(leave.failed()).as(leave.details()).isZero();
      assertThat(afterChurn).as("the client's heap after the churn, against %s for a new client",
          mib(coldFootprint)).isLessThanOrEqualTo(bound);
    }
  }

  private String phase(String name, LoadReport calls, Histogram delays) {
    String seen = String.format(Locale.ROOT, "%,d changes seen by the client after p50 %.1f ms, p99 %.1f ms, max %.1f"
            + " ms", delays.getTotalCount(), delays.getValueAtPercentile(50) / 1000.0,
        delays.getValueAtPercentile(99) / 1000.0, delays.getMaxValue() / 1000.0);
    if (calls == null) {
      return name + ": " + seen;
    }
    return String.format(Locale.ROOT, "%s: %s; %s() took p50 %.1f ms, p99 %.1f ms; %s", name, seen, calls.name(),
        calls.latencyMillisAt(50), calls.latencyMillisAt(99), calls.summary());
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  String serviceName(int index) {
    return String.format("courier.scale.Service%03d", index);
  }

  /**
   * The providers: {@code providers} slots, slot {@code k} of service {@code k % services}, registered by registry
   * client {@code k % registrants}; a replacement gives the slot's address a new instance (a new id), as a provider
   * restarted by a deployment would have. Every instance ever registered is remembered with the moments its
   * registration and deregistration were asked for. Invariant: a slot changes only under its lock.
   */
  private final class Fleet {
    final List<ZooKeeperRegistry> hosts;
    final ServiceInstance[] current = new ServiceInstance[providers];
    final int[] generation = new int[providers];
    final Object[] locks = new Object[providers];
    final List<String> registered = new ArrayList<>(); // ids in the order of their registration; guarded by itself
    final List<String> deregistered = new ArrayList<>(); // guarded by registered
    final Map<String, Long> askedToJoin = new ConcurrentHashMap<>();
    final Map<String, Long> askedToLeave = new ConcurrentHashMap<>();

    Fleet(List<ZooKeeperRegistry> hosts) {
      this.hosts = hosts;
      for (int i = 0; i < providers; i++) {
        locks[i] = new Object();
      }
    }

    LoadReport run(String what, int calls, int perSecond, SlotCall call) {
      try (LoadDriver load = LoadDriver.builder(what).threads(registrants).rate(perSecond).calls(calls)
          .call(seq -> {
            call.run((int) seq);
            return null;
          }).start()) {
        return load.awaitDone(Duration.ofMillis(calls * 1000L / perSecond).multipliedBy(10).plusSeconds(30));
      }
    }

    ServiceInstance instance(int slot, int gen) {
      return ServiceInstance.builder(serviceName(slot % services)).id("p" + slot + "-g" + gen)
          .host("10.0." + slot / 250 + "." + (slot % 250 + 1)).port("tcp", 7070).serializers(List.of("kryo"))
          .startTime(Instant.now()).metadata("zone", "zone-" + slot % 3).build();
    }

    void join(int slot) {
      synchronized (locks[slot]) {
        ServiceInstance next = instance(slot, generation[slot]);
        synchronized (registered) {
          registered.add(next.id());
        }
        askedToJoin.put(next.id(), System.nanoTime());
        hosts.get(slot % registrants).register(next);
        current[slot] = next;
      }
    }

    void leave(int slot) {
      synchronized (locks[slot]) {
        ServiceInstance gone = current[slot];
        synchronized (registered) {
          deregistered.add(gone.id());
        }
        askedToLeave.put(gone.id(), System.nanoTime());
        hosts.get(slot % registrants).unregister(gone);
        current[slot] = null;
        generation[slot]++;
      }
    }

    /** The {@code seq}th replacement: slots are taken with a stride, so consecutive ones hit different services. */
    void replace(int seq) {
      int slot = (int) ((seq * 7919L) % providers);
      synchronized (locks[slot]) {
        leave(slot);
        join(slot);
      }
    }

    int registrations() {
      synchronized (registered) {
        return registered.size();
      }
    }

    List<String> joined(int from, int to) {
      synchronized (registered) {
        return List.copyOf(registered.subList(from, to));
      }
    }

    List<String> left() {
      synchronized (registered) {
        return List.copyOf(deregistered);
      }
    }

    /** The ids registered now. */
    List<String> current() {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < providers; i++) {
        synchronized (locks[i]) {
          if (current[i] != null) {
            ids.add(current[i].id());
          }
        }
      }
      return ids;
    }

    /** The ids registered now, by service. */
    Map<String, Set<String>> expected() {
      Map<String, Set<String>> byService = new TreeMap<>();
      for (int s = 0; s < services; s++) {
        byService.put(serviceName(s), new HashSet<>());
      }
      for (int i = 0; i < providers; i++) {
        synchronized (locks[i]) {
          if (current[i] != null) {
            byService.get(current[i].service()).add(current[i].id());
          }
        }
      }
      return byService;
    }
  }

  @FunctionalInterface
  private interface SlotCall {
    void run(int seq) throws Exception;
  }

  /**
   * When a client first saw each instance id in a list, and first saw it missing after that. The maps belong to the
   * test, not to the client, so that they are on both sides of the client's heap measurement.
   */
  private static final class Observed {
    final Fleet fleet;
    final Map<String, Long> seen = new ConcurrentHashMap<>();
    final Map<String, Long> gone = new ConcurrentHashMap<>();

    Observed(Fleet fleet) {
      this.fleet = fleet;
    }

    void awaitSeen(List<String> ids, String what) {
      Polling.await("the client to see " + what + " (" + ids.size() + ")", SEE_TIMEOUT,
          () -> ids.stream().allMatch(seen::containsKey));
    }

    void awaitGone(List<String> ids, String what) {
      Polling.await("the client to see " + what + " (" + ids.size() + ")", SEE_TIMEOUT,
          () -> ids.stream().allMatch(gone::containsKey));
    }

    /** From {@code register} called to the first list with the id, in microseconds. */
    Histogram joinDelays(List<String> ids) {
      return delays(seen, fleet.askedToJoin, ids);
    }

    /** From {@code unregister} called to the first list without the id, in microseconds. */
    Histogram leaveDelays(List<String> ids) {
      return delays(gone, fleet.askedToLeave, ids);
    }

    private static Histogram delays(Map<String, Long> at, Map<String, Long> asked, List<String> ids) {
      Histogram h = new Histogram(1, TimeUnit.HOURS.toMicros(1), 3);
      for (String id : ids) {
        // a list may show a registration before register() returns, never before it was called
        h.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(at.get(id) - asked.get(id))));
      }
      return h;
    }
  }

  /**
   * A client's registry subscribed to every service, recording into {@link Observed} when ids appear and go, and the
   * last list of each service. Nothing else holds it, so that once closed it can be collected.
   */
  private final class ClientView implements AutoCloseable {
    final ZooKeeperRegistry registry;
    final Observed observed;
    final Map<String, Set<String>> last = new ConcurrentHashMap<>();
    final List<Registry.Subscription> subscriptions = new ArrayList<>();

    ClientView(String connectString, Observed observed) {
      ZooKeeperRegistry.Builder builder = ZooKeeperRegistry.builder(connectString)
          .sessionTimeout(Duration.ofSeconds(30));
      if (snapshot) {
        builder.snapshotFile(snapshots.resolve("providers-" + System.nanoTime() + ".json"));
      }
      this.registry = builder.build();
      this.observed = observed;
    }

    void subscribeAll() {
      for (int s = 0; s < services; s++) {
        String service = serviceName(s);
        subscriptions.add(registry.subscribe(service, list -> onProviders(service, list)));
      }
    }

    private void onProviders(String service, List<ServiceInstance> list) {
      long now = System.nanoTime();
      Set<String> ids = list.stream().map(ServiceInstance::id).collect(Collectors.toSet());
      Set<String> before = last.getOrDefault(service, Set.of());
      for (String id : ids) {
        if (!before.contains(id)) {
          observed.seen.putIfAbsent(id, now);
        }
      }
      for (String id : before) {
        if (!ids.contains(id)) {
          observed.gone.putIfAbsent(id, now);
        }
      }
      last.put(service, ids);
    }

    /** The last list of each service is exactly {@code expected}. */
    void assertSees(Map<String, Set<String>> expected) {
      Polling.await("the client's lists to be exactly the providers registered", SEE_TIMEOUT, () -> expected
          .entrySet().stream().allMatch(e -> e.getValue().equals(last.getOrDefault(e.getKey(), Set.of()))));
    }

    @Override
    public void close() {
      subscriptions.forEach(Registry.Subscription::close);
      registry.close();
    }
  }
}
