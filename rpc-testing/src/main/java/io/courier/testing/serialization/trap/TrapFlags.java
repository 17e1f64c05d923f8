package io.courier.testing.serialization.trap;

/** Records whether {@link Trap} was ever initialized or constructed; kept apart so reading it does not load Trap. */
public final class TrapFlags {
  public static volatile boolean initialized;
  public static volatile boolean constructed;

  private TrapFlags() {}
}
