package io.courier.transport.rest;

import io.courier.transport.ClientTransport;
import io.courier.transport.ServerTransport;
import io.courier.transport.TlsConfig;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;
import io.courier.transport.TransportOption;
import io.courier.transport.TransportOptions;
import java.util.Set;

/**
 * REST/JSON (transport name {@code "rest"}): a server listener that serves every exported service's REST binding over
 * HTTP/1.1 and h2, and a client that calls it through the same stubs. Routes, bodies, errors, headers and limits are
 * in {@code docs/rest.md}; settings in {@link RestOptions}. Needs {@code io.courier:courier-serialization-json}.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder().listen("rest", 8080).service(Users.class, new UsersImpl()).build().start();
 * RpcClient client = RpcClient.builder().transport("rest").serializer("json").address("127.0.0.1:8080").build();
 * Users users = client.create(Users.class);    // each call is an HTTP request: GET /users/42, ...
 * }</pre>
 */
public final class RestTransportFactory implements TransportFactory {

  @Override
  public String name() {
    return "rest";
  }

  /**
   * @throws IllegalStateException if the json serializer is not on the class path
   */
  @Override
  public ClientTransport newClientTransport(TransportContext context) {
    return new RestClientTransport(context);
  }

  @Override
  public ServerTransport newServerTransport(TransportContext context) {
    return new RestServerTransport(context);
  }

  @Override
  public Set<TransportOption<?>> clientOptions() {
    return CLIENT_OPTIONS;
  }

  @Override
  public Set<TransportOption<?>> serverOptions() {
    return SERVER_OPTIONS;
  }

  private static final Set<TransportOption<?>> CLIENT_OPTIONS = Set.of(TlsConfig.OPTION, RestOptions.HTTP2,
      RestOptions.MAX_CONNECTIONS_PER_ENDPOINT, RestOptions.MAX_BODY_SIZE, RestOptions.IDLE_TIMEOUT,
      RestOptions.CONNECT_TIMEOUT, RestOptions.IO_THREADS, RestOptions.NATIVE_TRANSPORT);

  private static final Set<TransportOption<?>> SERVER_OPTIONS = TransportOptions.union(RestBinding.SERVER_OPTIONS,
      Set.of(TlsConfig.OPTION, RestOptions.MAX_CONNECTIONS, RestOptions.IO_THREADS, RestOptions.NATIVE_TRANSPORT));
}
