package io.courier.bench.system.courier;

/** Courier's TCP framing with the protobuf serializer. */
public final class CourierTcpProtobuf extends CourierSystem {
  public CourierTcpProtobuf() {
    super("courier-tcp-protobuf", "tcp", "protobuf", Flavour.PROTOBUF);
  }
}
