package io.courier.bench.harness;

import io.courier.bench.driver.Workload;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * A system the harness can measure: its name (as its jars' {@code BenchSystem} knows it), the modules whose
 * {@code target/bench-system.jar} run its server and its client (the same family's, except for the cross systems,
 * whose two sides come from different families), what kind of system it is, whether it has a server JVM (the direct
 * call has none), the workloads it can run, where its settings come from, and its tier.
 */
public record SystemUnderTest(String name, String serverModule, String clientModule, Kind kind, boolean needsServer,
    String description, String settings, Set<Workload> workloads, Tier tier) {

  /** How a system's results are read. */
  public enum Kind {
    /** An RPC framework (Courier, Dubbo, grpc-java, Thrift). */
    RPC,
    /** A REST/JSON stack. */
    REST,
    /** A limit to read the others against: the raw echoes (floors) and the direct call (ceiling). */
    LIMIT
  }

  /** Which runs include it by default, and how fully. */
  public enum Tier {
    /** In quick and full mode, every cell: the systems of the headline ratios, Thrift and the floors. */
    HEADLINE,
    /**
     * In full mode, closed loop at the run's concurrencies above 1 only, no open loop (in quick mode only when named):
     * peers' out-of-the-box rows, cross cells and other serializers, which explain the headline rather than make it.
     */
    CONTEXT,
    /** Only when named with {@code --systems} (and in smoke mode): kept for comparison, not part of the results. */
    EXTRA
  }

  public SystemUnderTest {
    workloads = Set.copyOf(workloads);
  }

  static SystemUnderTest of(String name, String module, Kind kind, Tier tier, String description, String settings) {
    return new SystemUnderTest(name, module, module, kind, true, description, settings, EnumSet.allOf(Workload.class),
        tier);
  }

  /** The same system without the workloads given (its two sides cannot run them together). */
  SystemUnderTest without(Workload... excluded) {
    Set<Workload> w = EnumSet.allOf(Workload.class);
    for (Workload e : excluded) {
      w.remove(e);
    }
    return new SystemUnderTest(name, serverModule, clientModule, kind, needsServer, description, settings, w, tier);
  }

  /**
   * Whether it finds its server through the harness's registry ({@code --registry zookeeper}): Courier's systems do,
   * at setup; the peers and the cross systems are always given the address (their frameworks' registries stay off).
   */
  public boolean discovers() {
    return serverModule.equals("courier") && clientModule.equals("courier");
  }

  /** The jar that runs its server, under the folder holding the system modules. */
  public Path serverJar(Path systemsDir) {
    return jar(systemsDir, serverModule);
  }

  /** The jar that runs its client. */
  public Path clientJar(Path systemsDir) {
    return jar(systemsDir, clientModule);
  }

  private static Path jar(Path systemsDir, String module) {
    return systemsDir.resolve(module).resolve("target").resolve("bench-system.jar");
  }
}
