package io.courier.examples.interop;

import io.courier.common.RpcMethod;
import io.courier.common.RpcService;
import io.courier.common.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;

/**
 * gRPC's interop test service ({@code grpc/testing/test.proto}, service {@code grpc.testing.TestService}) as a
 * plain Courier service interface: the service and method names are gRPC's, the messages are the classes protoc
 * generated for grpc-java. Any gRPC client calls a Courier server exporting it; a Courier client made with
 * {@code serializer("protobuf")} and {@code transport("http2")} calls any gRPC server implementing it.
 */
@RpcService(name = "grpc.testing.TestService")
public interface TestService {

  /** One empty request, one empty response. */
  @RpcMethod(name = "EmptyCall")
  Empty emptyCall(Empty request);

  /** One request, one response of the requested size (or the requested status). */
  @RpcMethod(name = "UnaryCall")
  SimpleResponse unaryCall(SimpleRequest request);

  /** One request, one response per {@code response_parameters} entry. */
  @RpcMethod(name = "StreamingOutputCall")
  void streamingOutputCall(StreamingOutputCallRequest request, StreamObserver<StreamingOutputCallResponse> responses);

  /** A stream of requests, one response with the total payload size. */
  @RpcMethod(name = "StreamingInputCall", clientStreaming = true)
  StreamObserver<StreamingInputCallRequest> streamingInputCall(StreamObserver<StreamingInputCallResponse> response);

  /** Answers each request as it arrives. */
  @RpcMethod(name = "FullDuplexCall")
  StreamObserver<StreamingOutputCallRequest> fullDuplexCall(StreamObserver<StreamingOutputCallResponse> responses);

  /** Answers every request once the client has sent them all. */
  @RpcMethod(name = "HalfDuplexCall")
  StreamObserver<StreamingOutputCallRequest> halfDuplexCall(StreamObserver<StreamingOutputCallResponse> responses);
}
