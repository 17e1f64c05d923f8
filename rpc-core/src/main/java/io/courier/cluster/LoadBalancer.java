package io.courier.cluster;

import io.courier.client.Invocation;
import java.util.List;

/**
 * Chooses the provider for one call. One instance serves one service of one client and may keep state (a
 * round-robin position, a hash ring). Providers that outlier detection has ejected are already left out.
 *
 * <pre>{@code
 * public final class FirstLoadBalancer implements LoadBalancer {
 *   public Provider pick(List<Provider> providers, Invocation invocation) {
 *     return providers.get(0);
 *   }
 * }
 * }</pre>
 *
 * <p>Choose a balancer by name: {@code CallOptions.DEFAULT.with(ClusterOptions.LOAD_BALANCER, "least-active")} for
 * a service, {@link LoadBalance @LoadBalance("least-active")} on a method, or
 * {@code RpcClient.Builder.loadBalancer(name)} for the whole client; see {@link LoadBalancers} for the built-in
 * names.
 */
@FunctionalInterface
public interface LoadBalancer {

  /**
   * Picks one of {@code providers} for {@code invocation}. Called on the caller's thread for every attempt; must be
   * thread-safe and must not block.
   *
   * @param providers the candidates, never empty; do not modify
   * @return one of the elements of {@code providers}
   */
  Provider pick(List<Provider> providers, Invocation invocation);
}
