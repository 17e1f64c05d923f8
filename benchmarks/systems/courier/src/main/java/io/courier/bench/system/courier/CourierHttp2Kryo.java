package io.courier.bench.system.courier;

/** Courier's HTTP/2 transport (gRPC framing, {@code application/grpc+kryo}) with kryo. */
public final class CourierHttp2Kryo extends CourierSystem {
  public CourierHttp2Kryo() {
    super("courier-http2-kryo", "http2", "kryo", Flavour.BEANS);
  }
}
