/**
 * The Netty plumbing every Courier transport shares (module {@code courier-transport-netty}): {@link
 * io.courier.transport.netty.EventLoops} (native epoll or NIO), {@code ReconnectBackoff}, TLS contexts built from a
 * {@code TlsConfig} and rebuilt when its files change ({@code NettyTls}, {@code TlsContextSource}, {@code TlsFailures},
 * {@code RefusalLog}), {@code ConnectionLimit}, {@code ReadDeadline}, {@code StreamRefusal} (when an HTTP/2 client
 * sends a refused stream again), {@code FirstBytesDetector} for ports that serve more than one protocol, {@code
 * ChannelConnections} (a channel's {@code ServerConnection}) and {@link
 * io.courier.transport.netty.AbstractHttp2Handler} (window growth, flush batching, keepalive PING and its timeout,
 * PUSH_PROMISE refusal). It speaks no Courier protocol: it depends on rpc-core's transport SPI and public API only, and
 * must not depend on any transport (tcp, http2, rest) or on the core's internal packages.
 */
package io.courier.transport.netty;
