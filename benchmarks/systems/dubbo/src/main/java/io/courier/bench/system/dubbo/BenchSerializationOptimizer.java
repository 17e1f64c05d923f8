package io.courier.bench.system.dubbo;

import io.courier.bench.model.Page;
import io.courier.bench.model.User;
import io.courier.bench.model.UserService;
import java.util.Collection;
import java.util.List;
import org.apache.dubbo.common.serialize.kryo.utils.KryoUtils;
import org.apache.dubbo.common.serialize.support.SerializationOptimizer;

/**
 * The classes registered with Dubbo's kryo serialization up front (so that a class is written as a small id, not
 * its name): the payload beans and the service, exactly the list of apache/dubbo-benchmark's
 * {@code benchmark-base/src/main/java/org/apache/dubbo/benchmark/serialize/SerializationOptimizerImpl.java}
 * ({@code User}, {@code Page}, {@code UserService}), named by the {@code optimizer} parameter of the protocol (server)
 * and of the reference URL (client) as in its {@code dubbo-kryo-server/src/main/resources/provider.xml} and
 * {@code dubbo-kryo-client/src/main/resources/consumer.xml}.
 */
public final class BenchSerializationOptimizer implements SerializationOptimizer {

  private static final List<Class<?>> CLASSES = List.of(User.class, Page.class, UserService.class);

  @Override
  public Collection<Class<?>> getSerializableClasses() {
    return CLASSES;
  }

  /**
   * Registers the classes with the kryo extension in this order, so that client and server give them the same ids
   * (see {@link DubboKryoSystem}); must run before the extension makes its first Kryo.
   */
  static void registerInOrder() {
    CLASSES.forEach(KryoUtils::register);
  }
}
