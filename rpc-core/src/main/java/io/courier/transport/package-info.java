/**
 * The transport SPI, the seam between the core and the wire: {@link io.courier.transport.TransportFactory} (found by
 * name with {@code ServiceLoader}, {@code Transports}), {@link io.courier.transport.ClientTransport}, {@link
 * io.courier.transport.ServerTransport}, and what a server transport hands the core per connection and per call ({@code
 * ServerCallHandler}, {@code ServerConnection}, {@code ServerCall}, {@code ServerStreamCall}, {@code OutboundStream},
 * {@code StreamListener}); with what every transport shares: {@code ByteBudget}, {@code CancelListeners}, {@code
 * ConnectionLostException}, {@code TlsConfig} and typed {@code TransportOption}s. The javadoc of these interfaces is a
 * contract, checked for every transport by {@code AbstractTransportContractTest} (rpc-testing). It names only public
 * API ({@code Invocation}, {@code CallHead}) and must not depend on the core's internal packages, on any transport
 * implementation, or on Netty beyond its {@code Timer}.
 */
package io.courier.transport;
