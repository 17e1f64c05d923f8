package io.courier.transport.rest;

import io.courier.transport.TransportOptions;

/** The transport SPI's contracts, on the REST transport over h2: every call a stream on one connection. */
class RestH2TransportContractTest extends RestTransportContractTest {

  @Override
  protected TransportOptions clientOptions() {
    return TransportOptions.DEFAULT.with(RestOptions.HTTP2, true);
  }
}
