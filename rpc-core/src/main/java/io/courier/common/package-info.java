/**
 * The vocabulary every other package shares: the service model parsed once from an {@code @RpcService} interface
 * ({@link io.courier.common.ServiceDescriptor}, {@link io.courier.common.MethodDescriptor}, {@link
 * io.courier.common.MethodKind}) and the annotations that shape it ({@code RpcService}, {@code RpcMethod}, {@code
 * Timeout}, {@code OneWay}, {@code Idempotent}); what a call carries and how it ends ({@code CallOptions}, {@code
 * Metadata}, {@code Deadline}, {@code Status}, {@code StatusCode}, {@code RpcException}); where a provider listens
 * ({@code Endpoint}); the stream observers and {@code MetricsRecorder}. It is the bottom of the core: it must not
 * depend on any other Courier package, nor on Netty, so that every layer, client or server side, can use it.
 */
package io.courier.common;
