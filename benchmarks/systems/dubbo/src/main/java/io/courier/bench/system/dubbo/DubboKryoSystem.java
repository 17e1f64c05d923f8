package io.courier.bench.system.dubbo;

import io.courier.bench.driver.AsyncOperation;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.NoOpUserService;
import io.courier.bench.model.UserService;
import io.courier.bench.model.UserServiceCalls;

/**
 * Dubbo's own protocol with kryo and class registration, the configuration of apache/dubbo-benchmark's headline
 * peer ({@code dubbo-kryo-server/src/main/resources/provider.xml}: {@code serialization="kryo"
 * optimizer="...SerializationOptimizerImpl"}; {@code dubbo-kryo-client/src/main/resources/consumer.xml}: the same two
 * on the reference URL). Kryo for Dubbo 3 lives in dubbo-spi-extensions
 * ({@code org.apache.dubbo.extensions:dubbo-serialization-kryo}); the registered classes are
 * {@link BenchSerializationOptimizer}'s. The peer of {@code courier-tcp-kryo}: same serializer family, each framework
 * with its own settings.
 *
 * <p>One workaround, without which the configuration does not work at all: Dubbo 3.3 keeps the optimizer's classes
 * in a {@code HashMap} keyed by {@code Class} ({@code SerializableClassRegistry}), so each JVM hands them to Kryo in
 * an order of its own (identity hash codes) and client and server number them differently ({@code getUser} then
 * decodes a {@code User} as a {@code Page}). The same classes are therefore also registered, in the optimizer's order,
 * with the kryo extension's own ordered list ({@code KryoUtils.register}) before its first Kryo is made; Kryo keeps
 * the first id a class gets, so the optimizer's later registrations change nothing.
 */
public final class DubboKryoSystem extends DubboSystem<UserService> {

  public DubboKryoSystem() {
    super("dubbo-kryo", "dubbo", "kryo", UserService.class, BenchSerializationOptimizer.class.getName());
  }

  @Override
  void beforeBootstrap() {
    BenchSerializationOptimizer.registerInOrder();
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
