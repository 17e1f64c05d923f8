/**
 * The server's dispatch; not API. {@link io.courier.internal.server.ServerDispatcher} is the core's {@code
 * ServerCallHandler}: it admits each call from its head, checks its deadline, runs it on its service's executor through
 * the interceptors ({@code ServerDeadlineInterceptor} first) and the implementation's method handle ({@code
 * ExportedMethod}); {@code ConnectionCalls} and {@code ConnectionPolicy} give each connection its share of the workers
 * and its memory budgets; {@code ServerStreams} connects a streaming implementation to the transport's stream. It sees
 * transports only through the transport SPI and must not depend on the client side. No other module imports it: the
 * http2 transport's health and reflection services are dispatched through {@code
 * io.courier.server.InternalServerDispatch}.
 */
package io.courier.internal.server;
