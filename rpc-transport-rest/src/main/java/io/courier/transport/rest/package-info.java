/**
 * The REST/JSON binding ({@code "rest"}, module {@code courier-transport-rest}): every exported service over HTTP/1.1
 * and h2 at {@code POST /<service>/<method>} or at {@code @RestRoute} resource routes ({@code RestMapping}, {@code
 * RestRouter}, {@code RestCodec}, {@code RestErrors}, {@code RestHeaders}), served on a {@code rest} listener ({@code
 * RestServerTransport}) or on an http2 port ({@link io.courier.transport.rest.RestBinding}, whose options the port
 * accepts through {@link io.courier.transport.rest.RestHttp2Binding}), with service descriptions ({@code
 * ServiceDescriptions}) and the console ({@code ConsoleExchange}); and the {@code rest} client transport ({@code
 * RestClientTransport}: a pool of HTTP/1.1 keep-alive connections, or one h2 connection). It builds on rpc-core's
 * transport SPI, {@code courier-transport-netty} and {@code courier-transport-http2}'s {@code Http1Handler}, {@code
 * HttpExchange}, {@code Http2Binding} and {@code Http2Exchanges}; it must not depend on the gRPC protocol classes, nor
 * on the core's internal packages (what it needs of them it reads through {@code io.courier.server.InternalServerCalls}
 * and {@code io.courier.client.InternalClientCalls}; {@code InternalImportsTest} checks).
 */
package io.courier.transport.rest;
