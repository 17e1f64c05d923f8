package io.courier.bench.system.courier;

import io.courier.bench.driver.BenchSystem.Endpoint;
import io.courier.client.RpcClient;
import io.courier.server.RpcServer;

/**
 * How a Courier system finds its server: today always the direct address the harness passes. This is the one
 * place that changes when ZooKeeper discovery (rpc-registry) lands: with a registry address in the endpoint,
 * {@link #register} becomes {@code builder.registry(at.registry())} and {@link #locate} becomes
 * {@code builder.registry(target.registry())}. Both run during setup; a call never consults the registry.
 */
final class Discovery {

  private Discovery() {}

  static void register(RpcServer.Builder builder, Endpoint at) {
    requireDirect(at);
  }

  static void locate(RpcClient.Builder builder, Endpoint target) {
    requireDirect(target);
    builder.address(target.hostAndPort());
  }

  private static void requireDirect(Endpoint endpoint) {
    if (endpoint.registry() != null) {
      throw new UnsupportedOperationException("registry " + endpoint.registry()
          + ": Courier discovery (rpc-registry) is not in this build yet; run the harness with --registry direct");
    }
  }
}
