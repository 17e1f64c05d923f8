package io.courier.transport.rest;

import io.courier.common.MethodDescriptor;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOption;
import io.courier.transport.http2.Http1Handler;
import io.courier.transport.http2.Http2Options;
import io.courier.transport.http2.HttpExchange;
import io.netty.channel.Channel;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * The REST binding on an {@code http2} port: set as its {@link Http2Options#HTTP1_HANDLER}, the port serves REST/JSON
 * to HTTP/1.1 clients and to h2 clients whose content type is not gRPC's, next to gRPC and Courier TCP. Routes,
 * bodies, errors and limits are those of the {@code rest} transport ({@code docs/rest.md}); the limits come from the
 * server's {@link RestOptions}.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder()
 *     .listen("http2", 8080)                                      // gRPC, Courier TCP and REST on one port
 *     .option(Http2Options.HTTP1_HANDLER, new RestBinding())
 *     .service(Users.class, new UsersImpl())
 *     .build().start();
 * // curl -H 'content-type: application/json' -d '42' http://localhost:8080/com.acme.Users/get
 * }</pre>
 *
 * One binding may serve several servers; each server's routes are built once, when it starts.
 */
public final class RestBinding implements Http1Handler {

  /**
   * The {@link RestOptions} a server reads for its REST binding, on a {@code rest} listener or an {@code http2} port.
   */
  public static final Set<TransportOption<?>> SERVER_OPTIONS = Set.of(RestOptions.MAX_BODY_SIZE,
      RestOptions.MAX_PIPELINED_REQUESTS, RestOptions.IDLE_TIMEOUT, RestOptions.READ_TIMEOUT,
      RestOptions.DESCRIBE_SERVICES);

  private final Map<ServerCallHandler, RestServer> servers = Collections.synchronizedMap(new WeakHashMap<>());

  /** A binding; pass it to {@link Http2Options#HTTP1_HANDLER}. */
  public RestBinding() {}

  /**
   * Builds the server's routes.
   *
   * @throws IllegalArgumentException naming the method, if a route is not usable
   * @throws IllegalStateException if the json serializer is not on the class path
   */
  @Override
  public void start(ServerCallHandler calls, TransportContext context) {
    servers.put(calls, RestServer.create(calls, context));
  }

  @Override
  public void install(Channel channel, ServerCallHandler calls, TransportContext context) {
    RestServer server = server(calls, context);
    RestServerTransport.installHttp1(channel, server);
  }

  @Override
  public HttpExchange.Receiver http2Request(HttpExchange exchange, ServerCallHandler calls, TransportContext context) {
    return server(calls, context).serve(exchange);
  }

  private RestServer server(ServerCallHandler calls, TransportContext context) {
    RestServer server = servers.get(calls);
    if (server == null) {
      server = RestServer.create(calls, context);
      servers.put(calls, server);
    }
    return server;
  }

  @Override
  public String http2ContentTypes() {
    return RestCodec.ACCEPTED;
  }

  @Override
  public Function<MethodDescriptor, String> restRoutes() {
    return RestMapping::route;
  }

  @Override
  public String toString() {
    return "RestBinding";
  }
}
