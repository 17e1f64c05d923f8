package io.courier.transport.http2;

import io.courier.common.RpcMethod;
import io.courier.common.RpcService;
import io.courier.common.StreamObserver;
import io.courier.transport.http2.reflection.v1.ServerReflectionRequest;
import io.courier.transport.http2.reflection.v1.ServerReflectionResponse;

/**
 * gRPC server reflection, {@code grpc.reflection.v1.ServerReflection}, as a Courier service interface. An
 * {@code http2} server serves it when {@link Http2Options#REFLECTION} is set (unless the application exports its
 * own), together with the older {@link GrpcReflectionV1Alpha}; stock tools (grpcurl, grpcui, Postman) use it to list
 * the server's protobuf-typed services and to describe their methods and messages.
 *
 * <pre>{@code
 * StreamObserver<ServerReflectionRequest> requests = client.create(GrpcReflection.class).serverReflectionInfo(answers);
 * requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
 * }</pre>
 */
@RpcService(name = "grpc.reflection.v1.ServerReflection")
public interface GrpcReflection {

  /** Answers each request (list services, find a file by name, symbol or extension) with one response, in order. */
  @RpcMethod(name = "ServerReflectionInfo")
  StreamObserver<ServerReflectionRequest> serverReflectionInfo(StreamObserver<ServerReflectionResponse> responses);
}
