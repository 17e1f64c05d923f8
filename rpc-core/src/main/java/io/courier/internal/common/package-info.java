/**
 * What the client and server sides of the core share; not API: how application exceptions travel without being
 * serialized ({@code ApplicationExceptions}), the generic-call marker ({@code GenericCalls}), the deadline a client
 * call inherits from the server call on its thread ({@code InheritedDeadline}), the JVM's one {@code SharedTimer}, the
 * bounded {@code WorkerPool}, {@code SerialExecutor} and {@code LocalAddresses}. Both sides use it, so it must depend
 * on neither: only on {@code io.courier.common} and {@code io.courier.serialization}. No other module imports it:
 * the transports read what they need of it through {@code io.courier.server.InternalServerCalls} and {@code
 * io.courier.client.InternalClientCalls}.
 */
package io.courier.internal.common;
