package io.courier.transport.rest;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import io.courier.testing.AbstractTransportTest;
import java.util.stream.Stream;

/**
 * The shared transport behaviour through the REST binding: a Courier client ({@code rest} transport, HTTP/1.1
 * keep-alive with its connection pool) calls a {@code rest} listener with the same stubs as every other transport.
 * REST speaks JSON, so the shared scenarios run with the json serializer (and {@code protobufMessages} with
 * {@code application/x-protobuf}; a {@code byte[]} as raw {@code application/octet-stream}). The 5 MiB payload test
 * needs a body limit above the 4 MiB default.
 */
class RestTransportTest extends AbstractTransportTest {

  @Override
  protected String transport() {
    return "rest";
  }

  @Override
  protected Stream<String> javaSerializers() {
    return Stream.of("json");
  }

  @Override
  protected RpcServer.Builder configure(RpcServer.Builder builder) {
    return builder.option(RestOptions.MAX_BODY_SIZE, 16 << 20);
  }

  @Override
  protected RpcClient.Builder configure(RpcClient.Builder builder) {
    return builder.option(RestOptions.MAX_BODY_SIZE, 16 << 20);
  }
}
