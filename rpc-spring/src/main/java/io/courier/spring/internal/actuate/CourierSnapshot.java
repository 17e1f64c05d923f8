package io.courier.spring.internal.actuate;

import io.courier.client.RpcClient;
import io.courier.common.Endpoint;
import io.courier.common.ServiceDescriptor;
import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import io.courier.server.RpcServer;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.spring.internal.ServiceExports;
import io.courier.spring.internal.Stubs;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What Courier is doing in this application right now — registry, server, exports, references and their providers —
 * as plain records, for the actuator endpoint (as JSON) and the health indicator. Reading it never blocks on the
 * network.
 */
public record CourierSnapshot(String application, RegistryState registry, ServerState server,
    List<ReferenceState> references) {

  /** The registry, or {@code null} fields when the application has none. */
  public record RegistryState(String address, boolean connected) {}

  /** The server: whether it runs, where it listens, what it exports. */
  public record ServerState(boolean running, List<String> addresses, List<ExportState> services) {}

  /** One exported bean under one service. */
  public record ExportState(String service, String version, String group, String bean, String implementation,
      boolean registered) {}

  /** One distinct reference: its service, the options it sets, where it is injected, the providers it sees. */
  public record ReferenceState(String service, String version, String group, Map<String, String> options,
      List<String> injectedInto, List<String> providers) {}

  /** Takes a snapshot; any argument may be {@code null} when the application lacks that part. */
  public static CourierSnapshot of(ServerLifecycle lifecycle, Stubs stubs, Registry registry) {
    RegistryState registryState = registry == null ? null : new RegistryState(registry.describe(),
        registry.isConnected());
    ServerState serverState = null;
    String application = null;
    if (lifecycle != null) {
      application = lifecycle.applicationName();
      RpcServer server = lifecycle.isRunning() ? lifecycle.server() : null;
      if (server != null && !server.isServing()) {
        server = null; // draining (the console's drain) or stopped: it takes no new call
      }
      List<String> addresses = new ArrayList<>();
      List<ServiceInstance> registrations = List.of();
      if (server != null) {
        try {
          for (InetSocketAddress a : server.addresses()) {
            String host = a.getHostString();
            addresses.add((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort());
          }
          registrations = server.registrations();
        } catch (IllegalStateException stopping) {
          server = null;
        }
      }
      List<ExportState> exports = new ArrayList<>();
      for (ServiceExports.Export e : lifecycle.exports()) {
        ServiceDescriptor d = ServiceDescriptor.of(e.type());
        String version = e.version().isEmpty() ? d.version() : e.version();
        String group = e.group().isEmpty() ? d.group() : e.group();
        boolean registered = registrations.stream().anyMatch(i -> i.service().equals(d.name())
            && i.version().equals(version) && i.group().equals(group));
        exports.add(new ExportState(d.name(), version, group, e.beanName(), e.bean().getClass().getName(),
            registered));
      }
      serverState = new ServerState(server != null, addresses, exports);
    }
    List<ReferenceState> references = new ArrayList<>();
    if (stubs != null) {
      RpcClient client = stubs.client();
      for (Stubs.Entry entry : stubs.entries()) {
        Stubs.Reference r = entry.reference();
        ServiceDescriptor d = ServiceDescriptor.of(r.type());
        List<String> providers = new ArrayList<>();
        if (client != null) {
          try {
            for (Endpoint endpoint : client.providers(entry.stub())) {
              providers.add(endpoint.toString());
            }
          } catch (IllegalArgumentException | IllegalStateException ignored) {
            // a stub of a client that was replaced or closed: no providers to show
          }
        }
        references.add(new ReferenceState(d.name(), r.version().isEmpty() ? d.version() : r.version(),
            r.group().isEmpty() ? d.group() : r.group(), r.options(), entry.injectedInto().stream().sorted().toList(),
            providers));
      }
      references.sort(Comparator.comparing(ReferenceState::service).thenComparing(s -> s.options().toString()));
    }
    return new CourierSnapshot(application, registryState, serverState, List.copyOf(references));
  }
}
