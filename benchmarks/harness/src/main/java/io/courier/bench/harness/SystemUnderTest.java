package io.courier.bench.harness;

import java.nio.file.Path;

/**
 * A system the harness can measure: its name (as its jar's {@code BenchSystem} knows it), the module whose
 * {@code target/bench-system.jar} runs it, what kind of system it is, and whether it has a server JVM (the direct
 * call has none). A system with a {@code buildRequirement} has a jar only on machines that meet it; the
 * harness skips it, saying so, where its jar was not built.
 */
public record SystemUnderTest(String name, String module, Kind kind, boolean needsServer, String description,
    String buildRequirement) {

  /** How a system's results are read. */
  public enum Kind {
    /** An RPC framework (Courier, Dubbo, grpc-java). */
    RPC,
    /** A REST/JSON stack. */
    REST,
    /** A limit to read the others against: the raw echo (floor) and the direct call (ceiling). */
    LIMIT
  }

  public SystemUnderTest(String name, String module, Kind kind, boolean needsServer, String description) {
    this(name, module, kind, needsServer, description, null);
  }

  /**
   * Whether it finds its server through the harness's registry ({@code --registry zookeeper}): Courier's systems do,
   * at setup; the peers are always given the address (their frameworks' registries stay off).
   */
  public boolean discovers() {
    return module.equals("courier");
  }

  /** The jar that runs it, under the folder holding the system modules. */
  public Path jar(Path systemsDir) {
    return systemsDir.resolve(module).resolve("target").resolve("bench-system.jar");
  }
}
