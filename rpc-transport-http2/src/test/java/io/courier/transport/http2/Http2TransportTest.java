package io.courier.transport.http2;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import io.courier.testing.AbstractTransportTest;

/**
 * The shared transport behaviour over gRPC/HTTP/2, for every serializer on the class path (kryo, hessian and
 * json as {@code application/grpc+<name>}, protobuf as {@code application/grpc}). The 5 MiB payload test needs
 * a message limit above gRPC's 4 MiB default.
 */
class Http2TransportTest extends AbstractTransportTest {

  @Override
  protected String transport() {
    return "http2";
  }

  @Override
  protected RpcServer.Builder configure(RpcServer.Builder builder) {
    return builder.option(Http2Options.MAX_INBOUND_MESSAGE_SIZE, 16 << 20);
  }

  @Override
  protected RpcClient.Builder configure(RpcClient.Builder builder) {
    return builder.option(Http2Options.MAX_INBOUND_MESSAGE_SIZE, 16 << 20);
  }
}
