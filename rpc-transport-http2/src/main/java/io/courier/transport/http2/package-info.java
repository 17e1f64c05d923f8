/**
 * gRPC over HTTP/2 ({@code "http2"}, module {@code courier-transport-http2}): the client ({@code Http2ClientTransport},
 * {@code GrpcClientHandler}, {@code GrpcClientStream}) and server ({@code Http2ServerTransport}, {@code
 * GrpcServerHandler}, {@code GrpcServerStream}) ends of gRPC's PROTOCOL-HTTP2, message framing ({@code MessageFramer},
 * {@code MessageDeframer}) and flow control ({@code OutboundFlow}), the {@code ProtocolDetector} of a port shared with
 * TCP framing and HTTP/1.1, the {@code grpc.health.v1.Health} service every server answers, server reflection ({@code
 * ReflectionService}, {@code ReflectionIndex}), and the {@link io.courier.transport.http2.Http1Handler} and {@code
 * HttpExchange} hook through which the REST binding serves what is not gRPC. It builds on rpc-core's transport SPI,
 * {@code courier-transport-netty} and, for port sharing, {@code courier-transport-tcp}; it must not depend on the REST
 * binding's classes or on the core's internal packages. Two debts of issue 15 remain (docs/ARCHITECTURE.md, "Known
 * debts"): the server transport and factory name {@code RestBinding} and {@code RestOptions}, and {@code HealthService}
 * and {@code ReflectionService} dispatch through {@code io.courier.internal.server}.
 */
package io.courier.transport.http2;
