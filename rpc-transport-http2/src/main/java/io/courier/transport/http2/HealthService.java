package io.courier.transport.http2;

import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StreamObserver;
import io.courier.server.CallHead;
import io.courier.server.InternalServerDispatch;
import io.courier.server.ServerContext;
import io.courier.server.ServerInterceptor;
import io.courier.transport.ServerCall;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerConnection;
import io.courier.transport.http2.health.HealthCheckRequest;
import io.courier.transport.http2.health.HealthCheckResponse;
import io.courier.transport.http2.health.HealthCheckResponse.ServingStatus;
import io.netty.util.Timer;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The {@link GrpcHealth} implementation every {@code http2} server adds, served through Courier's own
 * dispatch (on the I/O thread: it never blocks). Also the {@link ServerCallHandler} that puts it next to the
 * application's services: the application's handler answers first, so an application that exports
 * {@code grpc.health.v1.Health} itself wins. Invariant: once {@link #shutdown} ran, every watcher has been told
 * {@code NOT_SERVING} and completed, and new watchers complete at once.
 */
final class HealthService implements GrpcHealth, ServerCallHandler {

  private static final String NAME = ServiceDescriptor.of(GrpcHealth.class).name();

  private final ServerCallHandler application;
  private final ServerCallHandler own;
  private final Set<Watcher> watchers = new CopyOnWriteArraySet<>();
  private volatile boolean serving = true;

  private record Watcher(String service, StreamObserver<HealthCheckResponse> responses) {}

  /**
   * @param admitted whether health checks go through the application's server-wide interceptors (its authentication
   *     and access rules) like any call ({@link Http2Options#HEALTH_CHECKS_ADMITTED})
   */
  HealthService(ServerCallHandler application, Timer timer, boolean admitted) {
    this.application = application;
    List<ServerInterceptor> interceptors = admitted ? InternalServerDispatch.serverInterceptors(application)
        : List.of();
    this.own = InternalServerDispatch.onIoThread(List.of(new InternalServerDispatch.Service(
        ServiceDescriptor.of(GrpcHealth.class), this)), interceptors, timer);
  }

  // ---- GrpcHealth ----

  @Override
  public HealthCheckResponse check(HealthCheckRequest request) {
    ServingStatus status = statusOf(request.getService());
    if (status == ServingStatus.SERVICE_UNKNOWN) {
      throw Status.NOT_FOUND.withDescription("unknown service " + request.getService()).asException();
    }
    return HealthCheckResponse.newBuilder().setStatus(status).build();
  }

  @Override
  public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responses) {
    String service = request.getService();
    responses.onNext(HealthCheckResponse.newBuilder().setStatus(statusOf(service)).build());
    if (!serving) {
      responses.onCompleted();
      return;
    }
    Watcher watcher = new Watcher(service, responses);
    watchers.add(watcher);
    ServerContext.current().onCancel(() -> watchers.remove(watcher));
    if (!serving && watchers.remove(watcher)) {
      notServing(watcher);
    }
  }

  private ServingStatus statusOf(String service) {
    if (!service.isEmpty() && !application.hasService(service) && !NAME.equals(service)) {
      return ServingStatus.SERVICE_UNKNOWN;
    }
    return serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  }

  /** The server is shutting down: {@code NOT_SERVING} from now on; watchers are told and completed. */
  void shutdown() {
    serving = false;
    for (Watcher watcher : watchers) {
      if (watchers.remove(watcher)) {
        notServing(watcher);
      }
    }
  }

  private static void notServing(Watcher watcher) {
    try {
      watcher.responses().onNext(HealthCheckResponse.newBuilder().setStatus(ServingStatus.NOT_SERVING).build());
      watcher.responses().onCompleted();
    } catch (RuntimeException alreadyClosed) {
      // the caller went away meanwhile
    }
  }

  // ---- ServerCallHandler: the application's services, then this one ----

  @Override
  public MethodDescriptor lookup(String service, String method) {
    MethodDescriptor found = application.lookup(service, method);
    if (found == null && NAME.equals(service) && !application.hasService(service)) {
      found = own.lookup(service, method);
    }
    return found;
  }

  @Override
  public boolean hasService(String service) {
    return application.hasService(service) || NAME.equals(service);
  }

  /** The application's services only: health is the transport's own, not a service the application exported. */
  @Override
  public List<ServiceDescriptor> services() {
    return application.services();
  }

  @Override
  public Status unimplemented(String service, String method) {
    return NAME.equals(service) && !application.hasService(service) ? own.unimplemented(service, method)
        : application.unimplemented(service, method);
  }

  @Override
  public ServerConnection openConnection(SocketAddress remoteAddress) {
    return application.openConnection(remoteAddress);
  }

  @Override
  public Status admit(ServerConnection connection, CallHead head) {
    return isOwn(head.method()) ? own.admit(connection, head) : application.admit(connection, head);
  }

  @Override
  public void handle(ServerCall call) {
    if (isOwn(call.method())) {
      own.handle(call);
    } else {
      application.handle(call);
    }
  }

  private boolean isOwn(MethodDescriptor method) {
    return method != null && method.service().type() == GrpcHealth.class && !application.hasService(NAME);
  }
}
