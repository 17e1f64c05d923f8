package io.courier.transport.rest;

import io.courier.testing.AbstractTransportContractTest;
import io.courier.transport.ClientTransport;

/**
 * The transport SPI's contracts, on the REST transport's own client (HTTP/1.1 keep-alive, its connection pool) and a
 * {@code rest} listener. REST speaks JSON: every call is made with the json serializer.
 */
class RestTransportContractTest extends AbstractTransportContractTest {

  @Override
  protected String transport() {
    return "rest";
  }

  @Override
  protected String serializerName() {
    return "json";
  }

  @Override
  protected int pendingCalls(ClientTransport client) {
    return ((RestClientTransport) client).pendingCalls();
  }
}
