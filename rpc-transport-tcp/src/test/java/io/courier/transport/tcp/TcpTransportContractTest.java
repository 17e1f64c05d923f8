package io.courier.transport.tcp;

import io.courier.testing.AbstractTransportContractTest;
import io.courier.transport.ClientTransport;

/** The transport SPI's contracts, on the TCP transport's own client and server halves. */
class TcpTransportContractTest extends AbstractTransportContractTest {

  @Override
  protected String transport() {
    return "tcp";
  }

  @Override
  protected int pendingCalls(ClientTransport client) {
    return ((TcpClientTransport) client).pendingCalls();
  }
}
