package io.courier.transport.http2;

import io.courier.transport.TlsConfig;
import io.courier.transport.TransportOptions;
import io.courier.transport.netty.TlsContextSource;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;

/**
 * The {@link Http2Options} of one client or server, read once. {@code tls} is {@code null} for cleartext; a server's
 * selects ALPN {@code h2} (and {@code http/1.1} when it has an {@link Http1Handler}), a client's offers {@code h2}.
 */
record Http2Config(int maxMessageSize, int maxHeaderListSize, int maxConcurrentStreams, int window,
    long keepaliveMillis, long keepaliveTimeoutMillis, long connectTimeoutMillis, long readTimeoutMillis,
    long permitKeepaliveMillis, boolean permitKeepaliveWithoutCalls, TlsContextSource tls, boolean sharePortWithTcp,
    Http1Handler http1Handler) {

  static Http2Config of(TransportOptions options, boolean server) {
    Http1Handler http1 = options.get(Http2Options.HTTP1_HANDLER);
    TlsConfig tlsConfig = options.get(TlsConfig.OPTION);
    TlsContextSource tls = null;
    if (tlsConfig != null) {
      tls = server
          ? http1 != null
              ? TlsContextSource.forServer(tlsConfig, Http2SecurityUtil.CIPHERS, ApplicationProtocolNames.HTTP_2,
                  ApplicationProtocolNames.HTTP_1_1)
              : TlsContextSource.forServer(tlsConfig, Http2SecurityUtil.CIPHERS, ApplicationProtocolNames.HTTP_2)
          : TlsContextSource.forClient(tlsConfig, Http2SecurityUtil.CIPHERS, ApplicationProtocolNames.HTTP_2);
    }
    return new Http2Config(options.get(Http2Options.MAX_INBOUND_MESSAGE_SIZE),
        options.get(Http2Options.MAX_HEADER_LIST_SIZE), options.get(Http2Options.MAX_CONCURRENT_STREAMS),
        options.get(Http2Options.FLOW_CONTROL_WINDOW), options.get(Http2Options.KEEPALIVE_TIME).toMillis(),
        options.get(Http2Options.KEEPALIVE_TIMEOUT).toMillis(), options.get(Http2Options.CONNECT_TIMEOUT).toMillis(),
        options.get(Http2Options.READ_TIMEOUT).toMillis(), options.get(Http2Options.PERMIT_KEEPALIVE_TIME).toMillis(),
        options.get(Http2Options.PERMIT_KEEPALIVE_WITHOUT_CALLS), tls, options.get(Http2Options.SHARE_PORT_WITH_TCP),
        http1);
  }

  /** The SETTINGS a side announces. */
  Http2Settings settings(boolean server) {
    Http2Settings settings = new Http2Settings().initialWindowSize(window).maxHeaderListSize(maxHeaderListSize);
    if (server) {
      settings.maxConcurrentStreams(maxConcurrentStreams);
    } else {
      settings.pushEnabled(false);
    }
    return settings;
  }
}
