/**
 * The client's call path behind the stubs; not API. {@link io.courier.internal.client.StubInvocationHandler} turns a
 * Java call into an {@code Invocation} of the method's {@code CallPlan}, {@link io.courier.internal.client.UnaryCaller}
 * gives it its deadline and waits (or not) for it, {@code InterceptorChain} runs the client interceptors with {@code
 * DeadlineInterceptor} first, and {@code ClientStreamingCall} is the caller's side of a stream. It must not depend on
 * the server side ({@code io.courier.server}, {@code io.courier.internal.server}; {@code ClientImportsTest} checks),
 * and no other module imports it.
 */
package io.courier.internal.client;
