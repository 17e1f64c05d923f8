/**
 * What the client and server sides of the core share; not API: how application exceptions travel without being
 * serialized ({@code ApplicationExceptions}), the generic-call marker ({@code GenericCalls}), the deadline a client
 * call inherits from the server call on its thread ({@code InheritedDeadline}), the JVM's one {@code SharedTimer}, the
 * bounded {@code WorkerPool}, {@code SerialExecutor} and {@code LocalAddresses}. Both sides use it, so it must depend
 * on neither: only on {@code io.courier.common} and {@code io.courier.serialization}. The tcp transport and the REST
 * binding still import {@code GenericCalls} and {@code ApplicationExceptions} from here, a debt issue 15 pays with
 * named {@code Internal*} accessors.
 */
package io.courier.internal.common;
