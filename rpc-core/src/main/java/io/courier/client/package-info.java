/**
 * The client API: {@link io.courier.client.RpcClient} and its builder (stubs, generic calls through {@code
 * GenericService}, the transport, serializers, a registry or fixed addresses, cluster defaults), {@link
 * io.courier.client.Invocation} (one call as it travels through the {@code ClientInterceptor}s to a transport), {@code
 * ClientMetricsInterceptor}, {@code EndpointSource}, and two accessors that are not API: {@code InternalInvocation},
 * through which Courier's own call path reads an invocation's plan, and {@code InternalClientCalls}, what Courier's
 * transports read of an answer. The machinery behind it is in {@code io.courier.internal.client}
 * and {@code io.courier.internal.cluster}. It must not depend on the server side ({@code io.courier.server}, {@code
 * io.courier.internal.server}): the deadline a call inherits from the server call it is made in crosses through {@code
 * io.courier.internal.common.InheritedDeadline} ({@code ClientImportsTest} checks).
 */
package io.courier.client;
