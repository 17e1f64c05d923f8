package io.courier.transport.inprocess;

import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.common.Deadline;
import io.courier.common.Endpoint;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.transport.CancelListeners;
import io.courier.transport.ClientTransport;
import io.courier.transport.ConnectionLostException;
import io.courier.transport.ServerCall;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerTransport;
import io.courier.transport.TlsConfig;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;
import io.courier.transport.TransportOption;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport inside one JVM, for fast tests of everything above the wire: interceptors, deadlines,
 * dispatch, exceptions. Arguments and results are passed by reference, not serialized — except those of a generic
 * call ({@link io.courier.client.GenericService}), which go through its serializer both ways, as over a wire, so that
 * maps become the method's declared types and its result plain values again. A server is addressed
 * by name: bind it with {@code RpcServer.builder().host("orders").listen("inprocess", 0)} and call
 * {@code "orders:0"}; the default host {@code 0.0.0.0} gets a unique generated name.
 */
public final class InProcessTransportFactory implements TransportFactory {

  /** Servers by name; entries exist from start until shutdown begins. */
  private static final ConcurrentMap<String, InProcessServer> SERVERS = new ConcurrentHashMap<>();
  private static final AtomicInteger NAMES = new AtomicInteger();

  @Override
  public String name() {
    return "inprocess";
  }

  @Override
  public ClientTransport newClientTransport(TransportContext context) {
    return new InProcessClient();
  }

  /** TLS is accepted and has nothing to do: in-process calls never leave the JVM. No other option applies. */
  @Override
  public Set<TransportOption<?>> clientOptions() {
    return Set.of(TlsConfig.OPTION);
  }

  @Override
  public Set<TransportOption<?>> serverOptions() {
    return Set.of(TlsConfig.OPTION);
  }

  @Override
  public ServerTransport newServerTransport(TransportContext context) {
    return new InProcessServer();
  }

  /** Calls {@code client}, an in-process client transport, still waits for; for tests that check nothing leaks. */
  static int pendingCalls(ClientTransport client) {
    return ((InProcessClient) client).pendingCalls();
  }

  private static final class InProcessClient implements ClientTransport {
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConcurrentMap<CompletableFuture<Object>, Boolean> pending = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Object> call(Endpoint endpoint, Invocation invocation) {
      if (closed.get()) {
        return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("client is closed").asException());
      }
      if (InternalInvocation.stream(invocation) != null) {
        return CompletableFuture.failedFuture(Status.UNIMPLEMENTED.withDescription(invocation.method().fullName()
            + " is a " + invocation.method().kind() + " method and the inprocess transport cannot stream "
            + "(use the http2 transport)").asException());
      }
      InProcessServer server = SERVERS.get(endpoint.host());
      if (server == null) {
        return CompletableFuture.failedFuture(Status.UNAVAILABLE
            .withDescription("no in-process server named '" + endpoint.host() + "'").asException());
      }
      CompletableFuture<Object> result = new CompletableFuture<>();
      pending.put(result, Boolean.TRUE);
      result.whenComplete((v, e) -> pending.remove(result));
      server.accept(invocation, result);
      return result;
    }

    int pendingCalls() {
      return pending.size();
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        for (CompletableFuture<Object> f : new ArrayList<>(pending.keySet())) {
          f.completeExceptionally(Status.UNAVAILABLE.withDescription("client closed").asException());
        }
      }
    }
  }

  private static final class InProcessServer implements ServerTransport {
    private volatile String name;
    private volatile ServerCallHandler handler;
    private volatile boolean accepting;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final List<InProcessCall> calls = new ArrayList<>(); // guarded by itself

    @Override
    public InetSocketAddress start(InetSocketAddress address, ServerCallHandler callHandler) {
      String host = address.getHostString();
      String chosen = "0.0.0.0".equals(host) || host.isEmpty() ? "inprocess-" + NAMES.incrementAndGet() : host;
      this.handler = callHandler;
      if (SERVERS.putIfAbsent(chosen, this) != null) {
        throw new UncheckedIOException(new BindException("in-process server name '" + chosen + "' is in use"));
      }
      this.name = chosen;
      this.accepting = true;
      return localAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
      return name == null ? null : InetSocketAddress.createUnresolved(name, 0);
    }

    void accept(Invocation invocation, CompletableFuture<Object> result) {
      MethodDescriptor requested = invocation.method();
      MethodDescriptor method = handler.lookup(requested.service().name(), requested.name());
      if (!accepting) {
        result.completeExceptionally(Status.UNAVAILABLE.withDescription("server '" + name + "' is shutting down")
            .asException());
        return;
      }
      if (method == null) {
        result.completeExceptionally(handler.unimplemented(requested.service().name(), requested.name())
            .asException());
        return;
      }
      InProcessCall call = new InProcessCall(method, invocation, result);
      inFlight.incrementAndGet();
      synchronized (calls) {
        calls.add(call);
      }
      invocation.onCancel(status -> result.completeExceptionally(status.asException()));
      // A caller that stops waiting — it cancelled, or its client closed — is gone as a closed connection is: the
      // call is cancelled (unless the server closed it already, which also completes the future).
      result.whenComplete((value, failure) -> {
        if (failure != null) {
          call.cancel();
        }
      });
      if (method.isOneWay()) {
        result.complete(null);
      }
      handler.handle(call);
    }

    void finished(InProcessCall call) {
      synchronized (calls) {
        calls.remove(call);
      }
      if (inFlight.decrementAndGet() == 0 && !accepting) {
        drained.complete(null);
      }
    }

    @Override
    public CompletableFuture<Void> shutdown(Duration gracePeriod) {
      accepting = false;
      if (name != null) {
        SERVERS.remove(name, this);
      }
      if (inFlight.get() == 0) {
        drained.complete(null);
      }
      return drained.completeOnTimeout(null, gracePeriod.toNanos(), TimeUnit.NANOSECONDS)
          .thenRun(this::close);
    }

    @Override
    public void close() {
      accepting = false;
      if (name != null) {
        SERVERS.remove(name, this);
      }
      List<InProcessCall> abandoned;
      synchronized (calls) {
        abandoned = new ArrayList<>(calls);
      }
      for (InProcessCall call : abandoned) {
        call.result.completeExceptionally(Status.UNAVAILABLE.withDescription("server closed")
            .withCause(new ConnectionLostException("in-process server '" + name + "' closed with the call running"))
            .asException());
        call.cancel();
      }
      drained.complete(null);
    }

    private final class InProcessCall implements ServerCall {
      private final MethodDescriptor method;
      private final Invocation invocation;
      final CompletableFuture<Object> result;
      private final AtomicBoolean closed = new AtomicBoolean();
      private final CancelListeners cancelListeners = new CancelListeners();

      InProcessCall(MethodDescriptor method, Invocation invocation, CompletableFuture<Object> result) {
        this.method = method;
        this.invocation = invocation;
        this.result = result;
      }

      @Override
      public MethodDescriptor method() {
        return method;
      }

      @Override
      public Metadata headers() {
        return invocation.options().headers();
      }

      @Override
      public Deadline deadline() {
        return invocation.deadline();
      }

      @Override
      public SocketAddress remoteAddress() {
        return null;
      }

      @Override
      public Object[] readArguments() {
        if (!invocation.method().isGeneric()) {
          return invocation.arguments().clone();
        }
        Serializer serializer = invocation.serializer();
        ByteBuf buf = Unpooled.buffer();
        try {
          serializer.writeArguments(buf, invocation.arguments(), invocation.method().requestTypes());
          return serializer.readArguments(buf, method.requestTypes());
        } finally {
          buf.release();
        }
      }

      @Override
      public void sendResponse(Object value, Metadata trailers) {
        Object answer = value;
        if (invocation.method().isGeneric()) {
          Serializer serializer = invocation.serializer();
          ByteBuf buf = Unpooled.buffer();
          try {
            serializer.write(buf, value, method.responseType());
            answer = serializer.read(buf, invocation.method().responseType());
          } catch (SerializationException e) {
            sendError(Status.INTERNAL.withDescription("could not encode the result of " + method.fullName() + " with "
                + serializer.name() + ": " + e.getMessage()).withCause(e), Metadata.EMPTY);
            return;
          } finally {
            buf.release();
          }
        }
        if (closed.compareAndSet(false, true)) {
          result.complete(answer);
          finished(this);
        }
      }

      @Override
      public void sendError(Status status, Metadata trailers) {
        if (closed.compareAndSet(false, true)) {
          result.completeExceptionally(status.asException(trailers));
          finished(this);
        }
      }

      @Override
      public void onCancel(Runnable listener) {
        cancelListeners.add(listener);
      }

      void cancel() {
        if (!closed.get()) {
          cancelListeners.cancel();
        }
      }
    }
  }
}
