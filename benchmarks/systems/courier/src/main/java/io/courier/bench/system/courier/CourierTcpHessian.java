package io.courier.bench.system.courier;

/** Courier's TCP framing with the hessian serializer. */
public final class CourierTcpHessian extends CourierSystem {
  public CourierTcpHessian() {
    super("courier-tcp-hessian", "tcp", "hessian", Flavour.BEANS);
  }
}
