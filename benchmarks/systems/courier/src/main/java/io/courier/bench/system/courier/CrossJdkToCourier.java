package io.courier.bench.system.courier;

/**
 * The server side of {@code cross-jdk-to-courier}: Courier's REST binding (the {@code rest} listener of
 * {@code courier-rest-h1}) called by the JDK's {@code HttpClient}, the client of {@code spring-rest-jdk} (which the
 * harness starts from the Spring system's jar). Read with {@code spring-rest-jdk} (same client, Spring's server) it
 * separates the REST server's cost from the client's. No echo (see {@link CrossCourierToSpring}).
 */
public final class CrossJdkToCourier extends CourierSystem {

  public CrossJdkToCourier() {
    super("cross-jdk-to-courier", "rest", "json", Flavour.BEANS);
  }

  @Override
  public Client connect(Endpoint target, int concurrency) {
    throw new UnsupportedOperationException(name() + " has no Courier client: its client runs from Spring's jar");
  }
}
