package io.courier.bench.system.courier;

import io.courier.client.RpcClient;
import io.courier.transport.rest.RestOptions;

/**
 * Courier's REST binding over HTTP/1.1 keep-alive: a {@code rest} listener serving {@code UserService}'s resource
 * routes ({@code GET /users/{id}}, ...) as JSON, called by Courier's own client through the same stub (a pool of
 * keep-alive connections, one call per connection at a time, as Spring's peer is called).
 */
public final class CourierRestHttp1 extends CourierSystem {
  public CourierRestHttp1() {
    super("courier-rest-h1", "rest", "json", Flavour.BEANS);
  }

  @Override
  protected void configureClient(RpcClient.Builder builder) {
    builder.option(RestOptions.HTTP2, false);
  }
}
