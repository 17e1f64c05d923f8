package io.courier.bench.system.courier;

import io.courier.client.RpcClient;
import io.courier.transport.rest.RestOptions;

/** Courier's REST binding over h2 (cleartext, prior knowledge): every call a stream on one connection. */
public final class CourierRestH2 extends CourierSystem {
  public CourierRestH2() {
    super("courier-rest-h2", "rest", "json", Flavour.BEANS);
  }

  @Override
  protected void configureClient(RpcClient.Builder builder) {
    builder.option(RestOptions.HTTP2, true);
  }
}
