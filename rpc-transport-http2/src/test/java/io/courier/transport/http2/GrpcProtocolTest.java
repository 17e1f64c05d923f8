package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.common.Metadata;
import io.courier.common.StatusCode;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GrpcProtocolTest {

  @Test
  void contentTypesNameSerializers() {
    assertThat(GrpcProtocol.serializerFor("application/grpc")).isEqualTo("protobuf");
    assertThat(GrpcProtocol.serializerFor("application/grpc+proto")).isEqualTo("protobuf");
    assertThat(GrpcProtocol.serializerFor("application/grpc+kryo; charset=utf-8")).isEqualTo("kryo");
    assertThat(GrpcProtocol.serializerFor("application/GRPC+json")).isEqualTo("json");
    assertThat(GrpcProtocol.serializerFor("application/grpcx")).isNull();
    assertThat(GrpcProtocol.serializerFor("application/json")).isNull();
    assertThat(GrpcProtocol.serializerFor(null)).isNull();
    assertThat(GrpcProtocol.contentTypeFor("protobuf").toString()).isEqualTo("application/grpc");
    assertThat(GrpcProtocol.contentTypeFor("hessian").toString()).isEqualTo("application/grpc+hessian");
  }

  @Test
  void timeoutsParseInEveryUnit() {
    assertThat(GrpcProtocol.parseTimeout("1H")).isEqualTo(TimeUnit.HOURS.toNanos(1));
    assertThat(GrpcProtocol.parseTimeout("2M")).isEqualTo(TimeUnit.MINUTES.toNanos(2));
    assertThat(GrpcProtocol.parseTimeout("3S")).isEqualTo(TimeUnit.SECONDS.toNanos(3));
    assertThat(GrpcProtocol.parseTimeout("4m")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(4));
    assertThat(GrpcProtocol.parseTimeout("5u")).isEqualTo(TimeUnit.MICROSECONDS.toNanos(5));
    assertThat(GrpcProtocol.parseTimeout("99999999n")).isEqualTo(99_999_999L);
    for (String bad : new String[] {"", "5", "S", "123456789S", "1x", "-1S", "1.5S"}) {
      assertThatThrownBy(() -> GrpcProtocol.parseTimeout(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void timeoutsEncodeInAtMostEightDigits() {
    assertThat(GrpcProtocol.encodeTimeout(0)).isEqualTo("1n");
    assertThat(GrpcProtocol.encodeTimeout(99_999_999L)).isEqualTo("99999999n");
    assertThat(GrpcProtocol.encodeTimeout(TimeUnit.SECONDS.toNanos(5))).isEqualTo("5000000u");
    assertThat(GrpcProtocol.encodeTimeout(TimeUnit.HOURS.toNanos(2))).isEqualTo("7200000m");
    assertThat(GrpcProtocol.encodeTimeout(TimeUnit.DAYS.toNanos(365))).isEqualTo("31536000S");
    assertThat(GrpcProtocol.encodeTimeout(Long.MAX_VALUE)).matches("\\d{1,8}[HMS]");
    for (long nanos : new long[] {1, 1234, 123_456_789L, 98_765_432_109L, TimeUnit.DAYS.toNanos(40)}) {
      String encoded = GrpcProtocol.encodeTimeout(nanos);
      long parsed = GrpcProtocol.parseTimeout(encoded);
      assertThat(parsed).as(encoded).isLessThanOrEqualTo(nanos).isGreaterThan(nanos - nanos / 1000 - 1000);
    }
  }

  @Test
  void statusMessagesArePercentEncoded() {
    String special = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
    String encoded = GrpcProtocol.encodeMessage(special);
    assertThat(encoded).matches("[\\x20-\\x7E]*").contains("%09%0Atest with whitespace");
    assertThat(GrpcProtocol.decodeMessage(encoded)).isEqualTo(special);
    assertThat(GrpcProtocol.encodeMessage("100% sure")).isEqualTo("100%25 sure");
    assertThat(GrpcProtocol.decodeMessage("bad %zz escape %")).isEqualTo("bad %zz escape %");
    assertThat(GrpcProtocol.encodeMessage("plain")).isSameAs("plain");
  }

  @Test
  void httpStatusesMapToGrpcCodes() {
    assertThat(GrpcProtocol.codeForHttpStatus(400)).isEqualTo(StatusCode.INTERNAL);
    assertThat(GrpcProtocol.codeForHttpStatus(401)).isEqualTo(StatusCode.UNAUTHENTICATED);
    assertThat(GrpcProtocol.codeForHttpStatus(403)).isEqualTo(StatusCode.PERMISSION_DENIED);
    assertThat(GrpcProtocol.codeForHttpStatus(404)).isEqualTo(StatusCode.UNIMPLEMENTED);
    assertThat(GrpcProtocol.codeForHttpStatus(429)).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(GrpcProtocol.codeForHttpStatus(502)).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(GrpcProtocol.codeForHttpStatus(503)).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(GrpcProtocol.codeForHttpStatus(504)).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(GrpcProtocol.codeForHttpStatus(500)).isEqualTo(StatusCode.UNKNOWN);
  }

  @Test
  void metadataRoundTripsWithBinaryValuesInBase64() {
    Metadata metadata = Metadata.builder().add("x-tenant", "acme").add("trace-bin", new byte[] {0, -1, 7})
        .add("grpc-status", "0").build();
    Http2Headers headers = new DefaultHttp2Headers();
    GrpcProtocol.writeMetadata(metadata, headers);
    assertThat(headers.get("trace-bin").toString()).isEqualTo("AP8H");
    assertThat(headers.contains("grpc-status")).as("reserved names are not application metadata").isFalse();
    Metadata read = GrpcProtocol.readMetadata(headers.add(":path", "/x/y").add("te", "trailers"), null);
    assertThat(read.get(Metadata.Key.of("x-tenant"))).isEqualTo("acme");
    assertThat(read.get(Metadata.Key.binary("trace-bin"))).containsExactly(0, -1, 7);
    assertThat(read.keys()).containsExactly("x-tenant", "trace-bin");
  }

  @Test
  void binaryValuesDecodePaddedOrNot() {
    assertThat(GrpcProtocol.decodeBase64("AAE=")).containsExactly(0, 1);
    assertThat(GrpcProtocol.decodeBase64("AAE")).containsExactly(0, 1);
    assertThat(GrpcProtocol.decodeBase64("AAE=,Ag")).containsExactly(0, 1, 2);
    Http2Headers headers = new DefaultHttp2Headers().add("bad-bin", "!!!").add("ok", "fine");
    assertThat(GrpcProtocol.readMetadata(headers, null).keys()).containsExactly("ok");
  }
}
