package io.courier.transport.http2;

import io.courier.common.RpcMethod;
import io.courier.common.RpcService;
import io.courier.common.StreamObserver;
import io.courier.transport.http2.health.HealthCheckRequest;
import io.courier.transport.http2.health.HealthCheckResponse;

/**
 * gRPC's standard health service, {@code grpc.health.v1.Health}, as a Courier service interface. Every
 * {@code http2} server serves it (unless the application exports its own), so {@code grpc_health_probe},
 * Kubernetes gRPC probes and load balancers can check a Courier server.
 *
 * <pre>{@code
 * GrpcHealth health = client.create(GrpcHealth.class);   // a client with serializer("protobuf")
 * HealthCheckResponse r = health.check(HealthCheckRequest.newBuilder().setService("").build());
 * }</pre>
 */
@RpcService(name = "grpc.health.v1.Health")
public interface GrpcHealth {

  /**
   * The status of {@code service} ({@code ""} for the whole server): {@code SERVING} while the server runs,
   * {@code NOT_SERVING} once it shuts down; {@code NOT_FOUND} for a service the server does not export.
   */
  @RpcMethod(name = "Check")
  HealthCheckResponse check(HealthCheckRequest request);

  /** The status now, then every change, until the server shuts down; {@code SERVICE_UNKNOWN} for unknown ones. */
  @RpcMethod(name = "Watch")
  void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responses);
}
