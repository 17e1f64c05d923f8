package io.courier.transport.inprocess;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import io.courier.testing.AbstractTransportTest;
import java.util.stream.Stream;

/**
 * The shared transport behaviour on the in-process transport of rpc-core (which cannot depend on this module, so its
 * test lives here). Values pass by reference, so every scenario runs once, with a serializer that is never used
 * ({@link ByReferenceSerializerProvider}); {@code protobufMessages} is skipped, as no protobuf serializer is on this
 * class path. Each server binds the wildcard host and so gets a name of its own.
 */
class InProcessTransportTest extends AbstractTransportTest {

  @Override
  protected String transport() {
    return "inprocess";
  }

  @Override
  protected String host() {
    return "0.0.0.0";
  }

  @Override
  protected Stream<String> javaSerializers() {
    return Stream.of(ByReferenceSerializerProvider.NAME);
  }

  @Override
  protected RpcServer.Builder configure(RpcServer.Builder builder) {
    return builder.serializerProvider(new ByReferenceSerializerProvider());
  }

  @Override
  protected RpcClient.Builder configure(RpcClient.Builder builder) {
    return builder.serializerProvider(new ByReferenceSerializerProvider());
  }
}
