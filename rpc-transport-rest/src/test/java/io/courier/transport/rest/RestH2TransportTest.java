package io.courier.transport.rest;

import io.courier.client.RpcClient;

/** The shared transport behaviour through the REST binding over h2: every call a stream on one connection. */
class RestH2TransportTest extends RestTransportTest {

  @Override
  protected RpcClient.Builder configure(RpcClient.Builder builder) {
    return super.configure(builder).option(RestOptions.HTTP2, true);
  }
}
