package io.courier.bench.system.courier;

import io.courier.bench.driver.BenchSystem.Endpoint;
import io.courier.client.RpcClient;
import io.courier.server.RpcServer;

/**
 * How a Courier system finds its server: through the ZooKeeper the harness runs ({@code --registry zookeeper}, the
 * default: the endpoint carries {@code zookeeper://127.0.0.1:<port>/<root of this trial>}), or at the address the
 * harness passes ({@code --registry direct}). Both happen at setup: the server registers once bound, the client
 * subscribes when it creates its stub and {@code CourierSystem.connect} makes one call before measuring; a measured
 * call never consults the registry.
 */
final class Discovery {

  private Discovery() {}

  static void register(RpcServer.Builder builder, Endpoint at) {
    if (at.registry() != null) {
      builder.registry(at.registry());
    }
  }

  static void locate(RpcClient.Builder builder, Endpoint target) {
    if (target.registry() != null) {
      builder.registry(target.registry());
    } else {
      builder.address(target.hostAndPort());
    }
  }
}
