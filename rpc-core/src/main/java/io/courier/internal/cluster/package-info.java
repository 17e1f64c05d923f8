/**
 * The cluster layer; not API. {@link io.courier.internal.cluster.CallPlanner} resolves each stub method's {@code
 * CallPlan} once (option beats annotation beats client default), {@link io.courier.internal.cluster.ClusterInvoker}
 * runs a call in its plan's mode through one {@code ClusterStrategy} per {@code ClusterMode} ({@code Failover}, {@code
 * Failfast}, {@code Failsafe}, {@code Forking}, {@code Broadcast}, over {@code Attempts}), and around them live the
 * load balancers, the provider directories ({@code StaticDirectory}, {@code RegistryDirectory}), endpoint health,
 * outlier detection, slow start and the retry budget. It reaches transports only through {@code ClientTransport} and
 * discovery only through {@code Registry}; it must not depend on the server side or on {@code
 * io.courier.internal.client}, and no other module imports it.
 */
package io.courier.internal.cluster;
