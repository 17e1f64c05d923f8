package io.courier.transport.http2;

import io.courier.transport.ClientTransport;
import io.courier.transport.ServerTransport;
import io.courier.transport.TlsConfig;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;
import io.courier.transport.TransportOption;
import io.courier.transport.TransportOptions;
import io.courier.transport.tcp.TcpTransportFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * gRPC over HTTP/2 (transport name {@code "http2"}), on Netty: cleartext with prior knowledge or TLS with ALPN
 * {@code h2}; unary and streaming calls; stock gRPC clients and servers in any language interoperate. Settings
 * are in {@link Http2Options}; the protocol mapping is in {@code docs/http2.md}.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder().listen("http2", 50051).service(Greeter.class, impl).build().start();
 * RpcClient client = RpcClient.builder().transport("http2").address("127.0.0.1:50051").build();
 * }</pre>
 */
public final class Http2TransportFactory implements TransportFactory {

  private final List<Http2Binding> bindings = findBindings();
  private final Set<TransportOption<?>> serverOptions = serverOptions(bindings);

  /** A factory; {@link java.util.ServiceLoader} makes it (transport {@code "http2"}). */
  public Http2TransportFactory() {}

  @Override
  public String name() {
    return "http2";
  }

  @Override
  public ClientTransport newClientTransport(TransportContext context) {
    return new Http2ClientTransport(context);
  }

  @Override
  public ServerTransport newServerTransport(TransportContext context) {
    return new Http2ServerTransport(context, bindings);
  }

  @Override
  public Set<TransportOption<?>> clientOptions() {
    return CLIENT_OPTIONS;
  }

  /**
   * Its own, and those of what a shared port also serves: Courier TCP connections, and each {@link Http2Binding} on
   * the class path (the REST binding's, with {@code courier-transport-rest}).
   */
  @Override
  public Set<TransportOption<?>> serverOptions() {
    return serverOptions;
  }

  /**
   * The {@link Http2Binding}s on the class path: this module's class loader's, then the thread's context loader's.
   * Scanned per factory, as {@code Transports} scans for the factories themselves on each lookup.
   */
  private static List<Http2Binding> findBindings() {
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(Http2TransportFactory.class.getClassLoader());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != Http2TransportFactory.class.getClassLoader()) {
      loaders.add(context);
    }
    List<Http2Binding> found = new ArrayList<>();
    Set<Class<?>> seen = new HashSet<>();
    for (ClassLoader loader : loaders) {
      for (Http2Binding binding : ServiceLoader.load(Http2Binding.class, loader)) {
        if (seen.add(binding.getClass())) {
          found.add(binding);
        }
      }
    }
    return List.copyOf(found);
  }

  private static Set<TransportOption<?>> serverOptions(List<Http2Binding> bindings) {
    Set<TransportOption<?>> options = TransportOptions.union(OWN_SERVER_OPTIONS,
        TcpTransportFactory.CONNECTION_OPTIONS);
    for (Http2Binding binding : bindings) {
      options = TransportOptions.union(options, binding.serverOptions());
    }
    return options;
  }

  private static final Set<TransportOption<?>> CLIENT_OPTIONS = Set.of(TlsConfig.OPTION,
      Http2Options.MAX_INBOUND_MESSAGE_SIZE, Http2Options.MAX_HEADER_LIST_SIZE, Http2Options.FLOW_CONTROL_WINDOW,
      Http2Options.KEEPALIVE_TIME, Http2Options.KEEPALIVE_TIMEOUT, Http2Options.CONNECT_TIMEOUT,
      Http2Options.RECONNECT_BACKOFF_MIN, Http2Options.RECONNECT_BACKOFF_MAX, Http2Options.IO_THREADS,
      Http2Options.NATIVE_TRANSPORT);

  private static final Set<TransportOption<?>> OWN_SERVER_OPTIONS = Set.of(TlsConfig.OPTION,
      Http2Options.MAX_INBOUND_MESSAGE_SIZE, Http2Options.MAX_HEADER_LIST_SIZE, Http2Options.MAX_CONCURRENT_STREAMS,
      Http2Options.FLOW_CONTROL_WINDOW, Http2Options.KEEPALIVE_TIME, Http2Options.KEEPALIVE_TIMEOUT,
      Http2Options.SHARE_PORT_WITH_TCP, Http2Options.HTTP1_HANDLER, Http2Options.MAX_CONNECTIONS,
      Http2Options.HEALTH_CHECKS_ADMITTED, Http2Options.READ_TIMEOUT, Http2Options.PERMIT_KEEPALIVE_TIME,
      Http2Options.PERMIT_KEEPALIVE_WITHOUT_CALLS, Http2Options.REFLECTION, Http2Options.REFLECTION_FILES,
      Http2Options.IO_THREADS, Http2Options.NATIVE_TRANSPORT);
}
