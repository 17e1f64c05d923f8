package io.courier.transport.tcp;

import io.courier.testing.AbstractTransportTest;

/** The shared transport behaviour, over Courier's TCP framing, for every serializer. */
class TcpTransportTest extends AbstractTransportTest {

  @Override
  protected String transport() {
    return "tcp";
  }
}
