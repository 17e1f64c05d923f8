package io.courier.bench.system.dubbo;

import io.courier.bench.driver.AsyncOperation;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.NoOpUserService;
import io.courier.bench.model.UserService;
import io.courier.bench.model.UserServiceCalls;

/** Dubbo's own protocol with hessian2, the serialization this comparison is usually made with. */
public final class DubboHessian2System extends DubboSystem<UserService> {

  public DubboHessian2System() {
    super("dubbo-hessian2", "dubbo", "hessian2", UserService.class);
  }

  @Override
  UserService implementation() {
    return new NoOpUserService();
  }

  @Override
  Operation call(UserService stub, Workload workload) {
    return UserServiceCalls.of(stub, workload);
  }

  @Override
  AsyncOperation callAsync(UserService stub, Workload workload) {
    return UserServiceCalls.ofAsync(DubboAsyncCalls.of(stub), workload);
  }
}
