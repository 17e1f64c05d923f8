/**
 * gRPC over HTTP/2 ({@code "http2"}, module {@code courier-transport-http2}): the client ({@code Http2ClientTransport},
 * {@code GrpcClientHandler}, {@code GrpcClientStream}) and server ({@code Http2ServerTransport}) ends of gRPC's
 * PROTOCOL-HTTP2, message framing ({@code MessageFramer}, {@code MessageDeframer}) and flow control ({@code
 * OutboundFlow}), the {@code ProtocolDetector} of a port shared with TCP framing and HTTP/1.1, the {@code
 * grpc.health.v1.Health} service every server answers, server reflection ({@code ReflectionService}, {@code
 * ReflectionIndex}), and the {@link io.courier.transport.http2.Http1Handler} and {@code HttpExchange} hook through
 * which the REST binding serves what is not gRPC.
 *
 * <p>A server's HTTP/2 connection is an {@code Http2ServerConnection} (streams, flow control and the request and
 * response budgets, keepalive, GOAWAY draining), which hands each new stream's HEADERS to a {@code StreamAcceptor}:
 * {@code GrpcStreamAcceptor} (gRPC admission, then a {@code GrpcServerStream} per call), {@code HttpExchangeAcceptor}
 * (an {@code Http2StreamExchange} per plain HTTP request), or both, chosen by content type, on a port with an {@code
 * Http1Handler}.
 *
 * <p>It builds on rpc-core's transport SPI, {@code courier-transport-netty} and, for port sharing, {@code
 * courier-transport-tcp}; it must not depend on the REST binding (which depends on it, {@code courier-transport-rest},
 * and adds its options to an http2 port's through the {@code Http2Binding} SPI) or on the core's internal packages
 * (its health and reflection services are dispatched through {@code io.courier.server.InternalServerDispatch}; {@code
 * InternalImportsTest} checks).
 */
package io.courier.transport.http2;
