package io.courier.transport.http2;

import io.courier.common.MethodDescriptor;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.TransportContext;
import io.netty.channel.Channel;
import java.util.function.Function;

/**
 * Serves the HTTP requests of an {@code http2} server's port that are not gRPC: connections that start like
 * HTTP/1.1 ({@link #install}) and, when {@link #http2Request} takes them, HTTP/2 requests whose content type is not
 * {@code application/grpc...}. The hook through which the REST binding ({@code io.courier.transport.rest.RestBinding})
 * shares the port with gRPC and Courier TCP. Set it with {@link Http2Options#HTTP1_HANDLER}.
 *
 * <pre>{@code
 * RpcServer.builder().listen("http2", 8080).option(Http2Options.HTTP1_HANDLER, new RestBinding()) // REST/JSON
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

  /**
   * Called once when the server starts, before it accepts connections, with what later calls receive: a place to
   * check configuration and fail the start (by throwing, with a message naming the problem). The default does
   * nothing.
   */
  default void start(ServerCallHandler calls, TransportContext context) {}

  /**
   * Takes an HTTP/2 request whose content type is not gRPC's, on its connection's event loop, and returns what
   * receives its body; or {@code null} (the default), and the server answers {@code 415} as for any non-gRPC
   * request. A body must arrive whole (END_STREAM) within {@link Http2Options#READ_TIMEOUT} of its HEADERS, not
   * counting a wait for budget: past it the receiver is {@link HttpExchange.Receiver#cancelled() cancelled} and the
   * client answered {@code 408}.
   */
  default HttpExchange.Receiver http2Request(HttpExchange exchange, ServerCallHandler calls,
      TransportContext context) {
    return null;
  }

  /**
   * The content types {@link #http2Request} takes, as the {@code 415} of a request it refuses names them next to
   * gRPC's ({@code "application/json for REST"}); or {@code null} (the default) if it does not say.
   */
  default String http2ContentTypes() {
    return null;
  }

  /**
   * How this hook routes REST requests to a method ({@code "GET /users/{id}"}), or {@code null} (the default) if it
   * serves no REST: then the port serves neither the service descriptions nor the console.
   */
  default Function<MethodDescriptor, String> restRoutes() {
    return null;
  }
}
