package io.courier.transport.http2;

import io.courier.testing.AbstractTransportContractTest;
import io.courier.transport.ClientTransport;

/** The transport SPI's contracts, on the gRPC/HTTP/2 transport's own client and server halves. */
class Http2TransportContractTest extends AbstractTransportContractTest {

  @Override
  protected String transport() {
    return "http2";
  }

  @Override
  protected int pendingCalls(ClientTransport client) {
    return ((Http2ClientTransport) client).pendingCalls();
  }
}
