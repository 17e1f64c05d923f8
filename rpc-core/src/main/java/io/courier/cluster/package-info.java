/**
 * The public face of the cluster layer: the fault-tolerance modes ({@link io.courier.cluster.ClusterMode}, {@code
 * @ClusterPolicy}), {@code @LoadBalance}, {@code ClusterOptions} (call options, which beat the annotations, which beat
 * the client's defaults), the balancer SPI ({@code LoadBalancer}, {@code LoadBalancerFactory} found with {@code
 * ServiceLoader}, and the {@code Provider} view a balancer picks from) and the built-in balancer names ({@code
 * LoadBalancers}). The strategies, balancers, health and outlier detection are in {@code io.courier.internal.cluster}.
 * It depends on {@code io.courier.common} and on the {@code Invocation} a balancer may read; it must not depend on
 * internal packages, on the server side or on transports.
 */
package io.courier.cluster;
