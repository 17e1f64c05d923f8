package io.courier.bench.system.courier;

/** Courier's HTTP/2 transport (the gRPC wire protocol) with protobuf: what a grpc-java client would see. */
public final class CourierHttp2Protobuf extends CourierSystem {
  public CourierHttp2Protobuf() {
    super("courier-http2-protobuf", "http2", "protobuf", Flavour.PROTOBUF);
  }
}
