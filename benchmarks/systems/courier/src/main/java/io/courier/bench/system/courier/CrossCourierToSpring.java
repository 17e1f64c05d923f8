package io.courier.bench.system.courier;

import io.courier.client.RpcClient;
import io.courier.transport.rest.RestOptions;

/**
 * The client side of {@code cross-courier-to-spring}: Courier's REST client over HTTP/1.1, exactly as in
 * {@code courier-rest-h1}, calling Spring Boot's server (which the harness starts from the Spring system's jar) on the
 * same routes. Read with {@code courier-rest-h1} (same client, Courier's server) and {@code spring-rest-jdk} /
 * {@code spring-rest} (same server, other clients), it separates the REST client's cost from the server's. The
 * 1 MiB echo is left out: Courier's binding carries a {@code byte[]} as base64 JSON, Spring's route takes raw
 * {@code application/octet-stream}.
 */
public final class CrossCourierToSpring extends CourierSystem {

  public CrossCourierToSpring() {
    super("cross-courier-to-spring", "rest", "json", Flavour.BEANS);
  }

  @Override
  protected void configureClient(RpcClient.Builder builder) {
    builder.option(RestOptions.HTTP2, false);
  }

  @Override
  public RunningServer startServer(Endpoint at) {
    throw new UnsupportedOperationException(name() + " has no Courier server: its server runs from Spring's jar");
  }
}
