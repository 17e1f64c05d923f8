package io.courier.testing;

import io.courier.common.RpcService;
import io.courier.testing.proto.EchoReply;
import io.courier.testing.proto.EchoRequest;
import java.util.concurrent.CompletableFuture;

/** The protobuf test service: messages in, messages out, for the protobuf serializer and gRPC transports. */
@RpcService(name = "courier.testing.ProtoEchoService")
public interface ProtoEchoService {

  EchoReply echo(EchoRequest request);

  CompletableFuture<EchoReply> echoAsync(EchoRequest request);

  /** Fails with an {@code IllegalArgumentException} carrying the request's message. */
  EchoReply fail(EchoRequest request);

  /** The plain implementation. */
  final class Impl implements ProtoEchoService {
    @Override
    public EchoReply echo(EchoRequest request) {
      return EchoReply.newBuilder().setMessage(request.getMessage()).setPayload(request.getPayload())
          .addAllNumbers(request.getNumbersList()).build();
    }

    @Override
    public CompletableFuture<EchoReply> echoAsync(EchoRequest request) {
      return CompletableFuture.supplyAsync(() -> echo(request));
    }

    @Override
    public EchoReply fail(EchoRequest request) {
      throw new IllegalArgumentException(request.getMessage());
    }
  }
}
