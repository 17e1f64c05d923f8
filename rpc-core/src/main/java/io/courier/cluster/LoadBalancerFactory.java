package io.courier.cluster;

/**
 * Makes a named kind of {@link LoadBalancer}. Implementations are listed in
 * {@code META-INF/services/io.courier.cluster.LoadBalancerFactory} and chosen by {@link #name()}.
 *
 * <pre>{@code
 * public final class FirstLoadBalancerFactory implements LoadBalancerFactory {
 *   public String name() { return "first"; }
 *   public LoadBalancer newLoadBalancer() { return (providers, invocation) -> providers.get(0); }
 * }
 * }</pre>
 */
public interface LoadBalancerFactory {

  /** The name used in options and annotations, for example {@code "least-active"}. */
  String name();

  /** A new balancer for one service of one client. */
  LoadBalancer newLoadBalancer();
}
