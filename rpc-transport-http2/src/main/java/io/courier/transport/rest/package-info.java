/**
 * The REST/JSON binding ({@code "rest"}): every exported service over HTTP/1.1 and h2 at {@code POST
 * /<service>/<method>} or at {@code @RestRoute} resource routes ({@code RestMapping}, {@code RestRouter}, {@code
 * RestCodec}, {@code RestErrors}, {@code RestHeaders}), served on a {@code rest} listener ({@code RestServerTransport})
 * or on an http2 port ({@link io.courier.transport.rest.RestBinding}), with service descriptions ({@code
 * ServiceDescriptions}); and the {@code rest} client transport ({@code RestClientTransport}: a pool of HTTP/1.1
 * keep-alive connections, or one h2 connection). It builds on rpc-core's transport SPI, {@code courier-transport-netty}
 * and the http2 package's {@code Http1Handler}, {@code HttpExchange} and {@code Http2Exchanges}; it must not depend on
 * the gRPC protocol classes, nor on the core's internal packages, where {@code GenericCalls} and {@code
 * ApplicationExceptions} are still imported (a debt of issue 15). The way to a module of its own is in
 * docs/ARCHITECTURE.md.
 */
package io.courier.transport.rest;
