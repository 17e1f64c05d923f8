package io.courier.transport.http2;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.courier.common.StreamObserver;
import io.courier.transport.http2.reflection.v1alpha.ServerReflectionRequest;
import io.courier.transport.http2.reflection.v1alpha.ServerReflectionResponse;
import java.util.function.UnaryOperator;

/**
 * {@link GrpcReflectionV1Alpha} answered by the v1 implementation: v1alpha's messages are v1's, field for field, in
 * another package, so each request is re-read as v1 and each answer as v1alpha.
 */
final class ReflectionV1Alpha implements GrpcReflectionV1Alpha {

  /** Answers an encoded v1 request with an encoded v1 response. */
  private final UnaryOperator<ByteString> v1;

  ReflectionV1Alpha(UnaryOperator<ByteString> v1) {
    this.v1 = v1;
  }

  @Override
  public StreamObserver<ServerReflectionRequest> serverReflectionInfo(
      StreamObserver<ServerReflectionResponse> responses) {
    return ReflectionService.answerEach(responses, this::answer);
  }

  ServerReflectionResponse answer(ServerReflectionRequest request) {
    try {
      return ServerReflectionResponse.parseFrom(v1.apply(request.toByteString()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a v1 reflection message is not a v1alpha one", e);
    }
  }
}
