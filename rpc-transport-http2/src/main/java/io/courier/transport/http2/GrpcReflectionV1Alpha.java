package io.courier.transport.http2;

import io.courier.common.RpcMethod;
import io.courier.common.RpcService;
import io.courier.common.StreamObserver;
import io.courier.transport.http2.reflection.v1alpha.ServerReflectionRequest;
import io.courier.transport.http2.reflection.v1alpha.ServerReflectionResponse;

/**
 * gRPC server reflection as first published, {@code grpc.reflection.v1alpha.ServerReflection}: the same messages as
 * {@link GrpcReflection} in an older package, which many tools still ask for first. Served with it when
 * {@link Http2Options#REFLECTION} is set; answers the same.
 */
@RpcService(name = "grpc.reflection.v1alpha.ServerReflection")
public interface GrpcReflectionV1Alpha {

  /** Answers each request with one response, in order, as {@link GrpcReflection#serverReflectionInfo} does. */
  @RpcMethod(name = "ServerReflectionInfo")
  StreamObserver<ServerReflectionRequest> serverReflectionInfo(StreamObserver<ServerReflectionResponse> responses);
}
