package io.courier.bench.system.courier;

/** Courier's HTTP/2 transport (the gRPC wire protocol) with the protobuf serializer: the peer of grpc-java. */
public final class CourierHttp2Protobuf extends CourierSystem {
  public CourierHttp2Protobuf() {
    super("courier-http2-protobuf", "http2", "protobuf", Flavour.PROTOBUF);
  }
}
