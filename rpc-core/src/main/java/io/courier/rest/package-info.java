/**
 * Annotations that map service methods to resource-style routes of the REST binding: {@link
 * io.courier.rest.RestRoute}, {@link io.courier.rest.PathParam} and {@link io.courier.rest.QueryParam}. The binding
 * itself is in {@code io.courier:courier-transport-http2} ({@code io.courier.transport.rest}); without these
 * annotations every method is served at {@code POST /<service>/<method>}.
 */
package io.courier.rest;
