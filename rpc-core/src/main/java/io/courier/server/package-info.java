/**
 * The server API: {@link io.courier.server.RpcServer} and its builder (listeners, exported services and their {@code
 * ServiceOptions}, interceptors, the worker pool and memory budgets, a registry), {@link
 * io.courier.server.ServerInterceptor} with its two phases (admission on a {@code CallHead}, before any argument byte
 * is buffered; then the decoded {@code ServerInvocation}), {@code ServerContext} for service code, and {@code
 * ServerMetricsInterceptor}. The dispatcher and the per-connection accounting are in {@code
 * io.courier.internal.server}; Courier's own transports reach them, and what they need of {@code
 * io.courier.internal.common}, through two accessors that are not API, {@code InternalServerDispatch} and {@code
 * InternalServerCalls}. It must not depend on the client side ({@code io.courier.client}, {@code
 * io.courier.internal.client}, {@code io.courier.internal.cluster}).
 */
package io.courier.server;
