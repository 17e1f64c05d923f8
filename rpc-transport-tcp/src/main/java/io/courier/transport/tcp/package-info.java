/**
 * Courier's own binary framing over TCP ({@code "tcp"}, module {@code courier-transport-tcp}): the frame codec ({@link
 * io.courier.transport.tcp.TcpFrameDecoder}, whose javadoc draws the wire format, {@code TcpFrameWriter}, {@code
 * TcpProtocol}); the client's multiplexed, heartbeating, reconnecting connections ({@code TcpClientTransport}, {@code
 * EndpointConnections}, {@code TcpConnection}); the server's connections, admission on a request's header section and
 * graceful close ({@code TcpServerTransport}, {@code TcpServerConnection}, {@code TcpServerCall}); batched writes
 * ({@code WriteQueue}); {@code TcpOptions}; and {@code TcpConnectionAcceptor}, through which an http2 port serves TCP
 * framing on a shared port. It builds on rpc-core's transport SPI and {@code courier-transport-netty}; it must not
 * depend on the http2 or rest transports (they depend on it, for port sharing) or on the core's internal packages
 * (it reads the generic-call header through {@code io.courier.server.InternalServerCalls}; {@code InternalImportsTest}
 * checks).
 */
package io.courier.transport.tcp;
