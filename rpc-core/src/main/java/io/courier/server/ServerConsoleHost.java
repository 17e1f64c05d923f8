package io.courier.server;

import io.courier.client.RpcClient;
import io.courier.common.Endpoint;
import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.internal.console.ConsoleHandler;
import io.courier.internal.server.ServerDispatcher;
import io.courier.registry.Registry;
import io.courier.transport.TlsConfig;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the console reads of and does to its {@link RpcServer}: the server's side of {@link ConsoleHandler.Host}. */
final class ServerConsoleHost implements ConsoleHandler.Host {

  private final RpcServer server;
  private final ServerDispatcher dispatcher;

  ServerConsoleHost(RpcServer server, ServerDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
  }

  @Override
  public String state() {
    return server.stateName();
  }

  @Override
  public boolean registered() {
    return server.isRegistered();
  }

  @Override
  public Registry registry() {
    return server.registry();
  }

  @Override
  public Map<String, InetSocketAddress> addresses() {
    return server.addressesByTransport();
  }

  @Override
  public int inFlight() {
    return server.inFlightCalls();
  }

  @Override
  public List<ServiceDescriptor> services() {
    return server.services();
  }

  @Override
  public String[] versionAndGroup(ServiceDescriptor service) {
    return server.versionAndGroup(service);
  }

  @Override
  public Function<MethodDescriptor, String> restRoutes() {
    return server.restRoutes();
  }

  @Override
  public Status admit(CallHead head) {
    return dispatcher.admit(null, head);
  }

  @Override
  public boolean isSelf(String host, Map<String, Integer> ports) {
    if (!host.equals(server.registeredHost())) {
      return false;
    }
    Map<String, Integer> own = new LinkedHashMap<>();
    server.addressesByTransport().forEach((name, address) -> own.put(name, address.getPort()));
    return own.equals(ports);
  }

  @Override
  public Endpoint selfEndpoint(String transport) {
    InetSocketAddress address = server.addressesByTransport().get(transport);
    if (address == null) {
      return null;
    }
    boolean wildcard = address.getAddress() != null && address.getAddress().isAnyLocalAddress();
    return new Endpoint(wildcard ? "127.0.0.1" : address.getHostString(), address.getPort());
  }

  @Override
  public RpcClient newTryItClient() {
    RpcClient.Builder b = RpcClient.builder().transport(server.firstTransport());
    Registry registry = server.registry();
    if (registry != null) {
      b.registry(registry).registerConsumer(false);
    } else {
      b.address(selfEndpoint(server.firstTransport().name()).toString());
    }
    TlsConfig tls = server.consoleOptions().clientTls();
    if (tls != null) {
      b.tls(tls);
    }
    return b.build();
  }

  @Override
  public String tryItUnavailable() {
    if (server.options().get(TlsConfig.OPTION) != null && server.consoleOptions().clientTls() == null) {
      return "try-it calls need the client's TLS settings: this server's listeners use TLS (expected: "
          + "ConsoleOptions.builder().clientTls(TlsConfig.forClient().trust(...)))";
    }
    return null;
  }

  @Override
  public void register() {
    server.register();
  }

  @Override
  public void deregister() {
    server.deregister();
  }

  @Override
  public void drain() {
    server.shutdown(server.gracePeriod());
  }
}
