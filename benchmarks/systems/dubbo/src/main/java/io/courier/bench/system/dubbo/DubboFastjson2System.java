package io.courier.bench.system.dubbo;

import io.courier.bench.driver.AsyncOperation;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.NoOpUserService;
import io.courier.bench.model.UserService;
import io.courier.bench.model.UserServiceCalls;

/**
 * Dubbo's own protocol with fastjson2, the fastest serialization Dubbo 3.3 ships in its own jar (Kryo and FST live in
 * the separate, older dubbo-spi-extensions); the peer for "Dubbo with its fastest serializer".
 */
public final class DubboFastjson2System extends DubboSystem<UserService> {

  public DubboFastjson2System() {
    super("dubbo-fastjson2", "dubbo", "fastjson2", UserService.class);
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
