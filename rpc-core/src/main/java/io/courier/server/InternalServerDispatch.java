package io.courier.server;

import io.courier.common.ServiceDescriptor;
import io.courier.internal.server.ConnectionPolicy;
import io.courier.internal.server.ServerDispatcher;
import io.courier.transport.ServerCallHandler;
import io.netty.util.Timer;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: for Courier's own transports; not an API, may change without notice.
 *
 * <p>Courier's dispatch for services a transport adds to a server itself (the {@code http2} transport's health and
 * reflection services), in the way grpc-java's {@code Internal*} classes open its internals to its own modules: so
 * that no module imports another's {@code internal} package.
 */
public final class InternalServerDispatch {

  private InternalServerDispatch() {}

  /** One service a transport serves: its descriptor and implementation. */
  public record Service(ServiceDescriptor descriptor, Object implementation) {}

  /**
   * A handler that serves {@code services} through Courier's own dispatch, on the thread that hands it a call (the
   * I/O thread: for services that never block, {@link ServiceOptions#onIoThread}), admitted by {@code interceptors},
   * with no per-connection limits or budgets.
   */
  public static ServerCallHandler onIoThread(List<Service> services, List<ServerInterceptor> interceptors,
      Timer timer) {
    List<ServerDispatcher.Export> exports = new ArrayList<>();
    for (Service service : services) {
      exports.add(new ServerDispatcher.Export(service.descriptor(), service.implementation(),
          ServiceOptions.DEFAULT.onIoThread()));
    }
    return new ServerDispatcher(exports, interceptors, Runnable::run, "the I/O thread", timer,
        ConnectionPolicy.UNLIMITED);
  }

  /**
   * The server-wide interceptors of {@code handler} (its authentication and access rules), in order, if it is a
   * server's own dispatch; else none.
   */
  public static List<ServerInterceptor> serverInterceptors(ServerCallHandler handler) {
    return handler instanceof ServerDispatcher dispatcher ? dispatcher.serverInterceptors() : List.of();
  }
}
