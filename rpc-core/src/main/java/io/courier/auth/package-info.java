/**
 * Authentication and access rules, written on the public interceptor API as a user would write them: {@link
 * io.courier.auth.BearerAuth} (a client interceptor that sends a token; a server admission that checks it and names the
 * caller) and {@link io.courier.auth.AccessPolicy} (per-service and per-method rules by caller), both run as admission
 * ({@code ServerInterceptor.admit}) before a byte of a call's arguments is read, on every transport. It must not depend
 * on the core's internal packages or on any transport.
 */
package io.courier.auth;
