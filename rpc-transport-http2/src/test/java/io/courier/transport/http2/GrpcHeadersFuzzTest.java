package io.courier.transport.http2;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Arbitrary header values through everything that parses gRPC headers: content types, {@code grpc-timeout},
 * percent-encoded {@code grpc-message}, and application metadata (including base64 {@code -bin} values). Only
 * the documented {@code IllegalArgumentException} of {@code parseTimeout} may escape.
 */
class GrpcHeadersFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void headerParsingSurvivesAnyValue(FuzzedDataProvider data) {
    GrpcProtocol.serializerFor(data.consumeString(64));
    try {
      long nanos = GrpcProtocol.parseTimeout(data.consumeString(12));
      if (nanos < 0) {
        throw new AssertionError("negative timeout " + nanos);
      }
    } catch (IllegalArgumentException refused) {
      // malformed grpc-timeout is refused with a message
    }
    GrpcProtocol.decodeMessage(data.consumeString(200));
    Http2Headers headers = new DefaultHttp2Headers(false);
    int entries = data.consumeInt(0, 8);
    for (int i = 0; i < entries; i++) {
      String name = data.consumeBoolean() ? data.consumeAsciiString(20) + "-bin" : data.consumeAsciiString(20);
      headers.add(name.toLowerCase(java.util.Locale.ROOT), data.consumeString(100));
    }
    GrpcProtocol.readMetadata(headers, data.consumeBoolean() ? "grpc-encoding" : null);
  }
}
