package io.courier.transport.inprocess;

import io.courier.common.Endpoint;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.AbstractTransportContractTest;
import io.courier.transport.ClientTransport;
import java.util.List;

/**
 * The transport SPI's contracts, on the in-process transport of rpc-core (which cannot depend on this module, so its
 * contract test lives here, in its package). Values pass by reference: calls name a serializer that is never used
 * ({@link ByReferenceSerializerProvider}). The in-process transport has no connections: the core admits its calls.
 */
class InProcessTransportContractTest extends AbstractTransportContractTest {

  @Override
  protected String transport() {
    return "inprocess";
  }

  @Override
  protected int pendingCalls(ClientTransport client) {
    return InProcessTransportFactory.pendingCalls(client);
  }

  @Override
  protected SerializerSet serializers() {
    return SerializerSet.of(TypeAllowlist.withDefaults(), List.of(new ByReferenceSerializerProvider()));
  }

  /** The wildcard host: the server gets a name of its own, unique in this JVM. */
  @Override
  protected String host() {
    return "0.0.0.0";
  }

  @Override
  protected Endpoint unreachableEndpoint() {
    return new Endpoint("no-such-in-process-server", 0);
  }

  @Override
  protected boolean presentsConnections() {
    return false;
  }

  @Override
  protected boolean backsOffAfterAFailedConnect() {
    return false;
  }
}
