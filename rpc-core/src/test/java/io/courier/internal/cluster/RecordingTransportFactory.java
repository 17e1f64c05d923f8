package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.common.Endpoint;
import io.courier.transport.ClientTransport;
import io.courier.transport.ServerTransport;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;
import io.courier.transport.TransportOption;
import io.courier.transport.Transports;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-process transport, counting the attempts sent to each endpoint and recording disconnects. */
final class RecordingTransportFactory implements TransportFactory {

  private final TransportFactory inProcess = Transports.find("inprocess");
  final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  final List<Endpoint> disconnected = new CopyOnWriteArrayList<>();

  int attempts(String host) {
    AtomicInteger n = attempts.get(host);
    return n == null ? 0 : n.get();
  }

  int totalAttempts() {
    return attempts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  @Override
  public String name() {
    return "inprocess";
  }

  @Override
  public Set<TransportOption<?>> clientOptions() {
    return inProcess.clientOptions();
  }

  @Override
  public Set<TransportOption<?>> serverOptions() {
    return inProcess.serverOptions();
  }

  @Override
  public ClientTransport newClientTransport(TransportContext context) {
    ClientTransport delegate = inProcess.newClientTransport(context);
    return new ClientTransport() {
      @Override
      public CompletableFuture<Object> call(Endpoint endpoint, Invocation invocation) {
        attempts.computeIfAbsent(endpoint.host(), h -> new AtomicInteger()).incrementAndGet();
        return delegate.call(endpoint, invocation);
      }

      @Override
      public void disconnect(Endpoint endpoint) {
        disconnected.add(endpoint);
      }

      @Override
      public void close() {
        delegate.close();
      }
    };
  }

  @Override
  public ServerTransport newServerTransport(TransportContext context) {
    return inProcess.newServerTransport(context);
  }
}
