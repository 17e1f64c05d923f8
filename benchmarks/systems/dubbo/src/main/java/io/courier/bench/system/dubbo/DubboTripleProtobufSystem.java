package io.courier.bench.system.dubbo;

import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.UserServiceCalls;

/** Dubbo's triple protocol (gRPC-compatible, HTTP/2) with protobuf messages. */
public final class DubboTripleProtobufSystem extends DubboSystem<DubboProtoUserService> {

  public DubboTripleProtobufSystem() {
    super("dubbo-triple-protobuf", "tri", null, DubboProtoUserService.class);
  }

  @Override
  DubboProtoUserService implementation() {
    return DubboProtoUserServices.serving();
  }

  @Override
  Operation call(DubboProtoUserService stub, Workload workload) {
    return UserServiceCalls.of(DubboProtoUserServices.calling(stub), workload);
  }
}
