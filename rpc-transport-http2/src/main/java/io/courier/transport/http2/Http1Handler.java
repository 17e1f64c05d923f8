package io.courier.transport.http2;

import io.courier.transport.ServerCallHandler;
import io.courier.transport.TransportContext;
import io.netty.channel.Channel;

/**
 * Serves connections that start like HTTP/1.1 on an {@code http2} server's port: the hook through which a REST
 * binding shares the port with gRPC and Courier TCP. Set it with {@link Http2Options#HTTP1_HANDLER}.
 *
 * <pre>{@code
 * RpcServer.builder().listen("http2", 8080).option(Http2Options.HTTP1_HANDLER, (channel, calls, context) ->
 *     channel.pipeline().addLast(new HttpServerCodec(), new MyRestHandler(calls, context.serializers())))
 * }</pre>
 */
@FunctionalInterface
public interface Http1Handler {

  /**
   * Adds the HTTP/1.1 handlers to {@code channel}'s pipeline, on its event loop. The bytes read so far are
   * passed on to them as soon as this returns.
   */
  void install(Channel channel, ServerCallHandler calls, TransportContext context);
}
