package io.courier.bench.system.courier;

/** Courier's TCP framing with the kryo serializer. */
public final class CourierTcpKryo extends CourierSystem {
  public CourierTcpKryo() {
    super("courier-tcp-kryo", "tcp", "kryo", Flavour.BEANS);
  }
}
