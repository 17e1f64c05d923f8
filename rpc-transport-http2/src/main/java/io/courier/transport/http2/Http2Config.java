package io.courier.transport.http2;

import io.courier.transport.TransportOptions;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.SslContext;

/** The {@link Http2Options} of one client or server, read once. */
record Http2Config(int maxMessageSize, int maxHeaderListSize, int maxConcurrentStreams, int window,
    long keepaliveMillis, long keepaliveTimeoutMillis, long connectTimeoutMillis, SslContext sslContext,
    boolean sharePortWithTcp, Http1Handler http1Handler) {

  static Http2Config of(TransportOptions options) {
    return new Http2Config(options.get(Http2Options.MAX_INBOUND_MESSAGE_SIZE),
        options.get(Http2Options.MAX_HEADER_LIST_SIZE), options.get(Http2Options.MAX_CONCURRENT_STREAMS),
        options.get(Http2Options.FLOW_CONTROL_WINDOW), options.get(Http2Options.KEEPALIVE_TIME).toMillis(),
        options.get(Http2Options.KEEPALIVE_TIMEOUT).toMillis(), options.get(Http2Options.CONNECT_TIMEOUT).toMillis(),
        options.get(Http2Options.SSL_CONTEXT), options.get(Http2Options.SHARE_PORT_WITH_TCP),
        options.get(Http2Options.HTTP1_HANDLER));
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
