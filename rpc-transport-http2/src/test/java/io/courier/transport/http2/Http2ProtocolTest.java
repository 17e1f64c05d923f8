package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.RpcServerExtension;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server's answers to requests that are not well-formed gRPC, sent over a raw socket: HTTP statuses for
 * non-gRPC requests, Trailers-Only for unknown methods, and hostile input (a bad preface, bad headers, a message
 * whose length prefix lies, an oversized message, a stream reset mid-message). Each resets the stream or closes
 * that connection, and after each a well-behaved client is still served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2ProtocolTest {

  private static final String ECHO = "/courier.testing.EchoService/echo";
  private static final String HEALTH_CHECK = "/grpc.health.v1.Health/Check";
  private static final int MAX_MESSAGE = 64 * 1024;

  @RegisterExtension
  static final RpcServerExtension server = RpcServerExtension.builder().listen("http2")
      .service(EchoService.class, new EchoServiceImpl())
      .configure(builder -> builder.option(Http2Options.MAX_INBOUND_MESSAGE_SIZE, MAX_MESSAGE)).build();

  private RpcClient client;

  @BeforeAll
  void createClient() {
    client = server.clientBuilder().serializer("kryo").build();
  }

  @AfterAll
  void closeClient() {
    client.close();
  }

  @AfterEach
  void aWellBehavedClientIsStillServed() {
    assertThat(client.create(EchoService.class).echo("still serving")).isEqualTo("still serving");
  }

  private RawHttp2Client connect() throws Exception {
    return new RawHttp2Client(server.port()).handshake();
  }

  @Test
  void nonPostIsRefusedWith405() throws Exception {
    try (RawHttp2Client raw = connect()) {
      raw.headers(1, RawHttp2Client.grpcRequest(ECHO).method("GET"), true);
      RawHttp2Client.Frame response = raw.awaitTrailers(1, 5);
      assertThat(response).isNotNull();
      assertThat(response.headers().status().toString()).isEqualTo("405");
      assertThat(response.headers().get("grpc-status").toString()).isEqualTo("13");
    }
  }

  @Test
  void wrongContentTypeIsRefusedWith415() throws Exception {
    try (RawHttp2Client raw = connect()) {
      raw.headers(1, RawHttp2Client.grpcRequest(ECHO).set("content-type", "application/json"), true);
      RawHttp2Client.Frame response = raw.awaitTrailers(1, 5);
      assertThat(response.headers().status().toString()).isEqualTo("415");
      assertThat(response.headers().get("grpc-message").toString()).contains("application/json");
    }
  }

  @Test
  void malformedPathIsRefusedWith404() throws Exception {
    try (RawHttp2Client raw = connect()) {
      raw.headers(1, RawHttp2Client.grpcRequest("/no-method"), true);
      RawHttp2Client.Frame response = raw.awaitTrailers(1, 5);
      assertThat(response.headers().status().toString()).isEqualTo("404");
      assertThat(response.headers().get("grpc-status").toString()).isEqualTo("12");
    }
  }

  @Test
  void unknownMethodGetsATrailersOnlyUnimplemented() throws Exception {
    try (RawHttp2Client raw = connect()) {
      raw.headers(1, RawHttp2Client.grpcRequest("/courier.testing.EchoService/nope"), false);
      RawHttp2Client.Frame response = raw.await("HEADERS", 5);
      assertThat(response.endStream()).as("Trailers-Only: one HEADERS frame with END_STREAM").isTrue();
      assertThat(response.headers().status().toString()).isEqualTo("200");
      assertThat(response.headers().get("grpc-status").toString()).isEqualTo("12");
      assertThat(response.headers().get("grpc-message").toString())
          .isEqualTo("unknown method nope of service courier.testing.EchoService");
    }
  }

  @Test
  void unsupportedEncodingIsUnimplementedAndNamesWhatIsAccepted() throws Exception {
    try (RawHttp2Client raw = connect()) {
      raw.headers(1, RawHttp2Client.grpcRequest(ECHO).set("grpc-encoding", "snappy"), false);
      RawHttp2Client.Frame response = raw.awaitTrailers(1, 5);
      assertThat(response.headers().get("grpc-status").toString()).isEqualTo("12");
      assertThat(response.headers().get("grpc-accept-encoding").toString()).contains("gzip");
    }
  }

  @Test
  void aHeaderListOverTheLimitIsRefusedWith431AndTheConnectionServesOn() throws Exception {
    try (RawHttp2Client raw = connect()) {
      // 9 KiB of headers against the 8 KiB a server announces (Http2Options.MAX_HEADER_LIST_SIZE)
      raw.headers(1, RawHttp2Client.grpcRequest(ECHO).add("x-large", "a".repeat(9 * 1024)), false);
      RawHttp2Client.Frame refused = raw.awaitHeaders(1, 5);
      assertThat(refused).as("an answer to the oversized header list").isNotNull();
      assertThat(refused.headers().status().toString()).isEqualTo("431");
      Http2Headers check = RawHttp2Client.grpcRequest(HEALTH_CHECK).set("content-type", "application/grpc");
      raw.headers(3, check, false).data(3, RawHttp2Client.message(0, new byte[0]), true);
      RawHttp2Client.Frame trailers = raw.awaitTrailers(3, 5);
      assertThat(trailers).as("the next stream on the same connection is served").isNotNull();
      assertThat(trailers.headers().get("grpc-status").toString()).isEqualTo("0");
    }
  }

  @Test
  void aLengthPrefixThatLiesFailsTheCall() throws Exception {
    try (RawHttp2Client raw = connect()) {
      raw.headers(1, RawHttp2Client.grpcRequest(ECHO), false);
      raw.data(1, RawHttp2Client.message(100, new byte[10]), true); // claims 100 bytes, the stream ends after 10
      RawHttp2Client.Frame response = raw.awaitTrailers(1, 5);
      assertThat(response.headers().get("grpc-status").toString()).isEqualTo("13");
      assertThat(response.headers().get("grpc-message").toString()).contains("middle of a message");
    }
  }

  @Test
  void anOversizedMessageIsRefusedFromItsPrefixBeforeItsBytesArrive() throws Exception {
    try (RawHttp2Client raw = connect()) {
      raw.headers(1, RawHttp2Client.grpcRequest(ECHO), false);
      raw.data(1, RawHttp2Client.message(50 * 1024 * 1024, new byte[0]), false); // 50 MiB announced, none sent
      RawHttp2Client.Frame response = raw.awaitTrailers(1, 5);
      assertThat(response.headers().get("grpc-status").toString()).isEqualTo("8");
      assertThat(response.headers().get("grpc-message").toString()).contains("over the limit of " + MAX_MESSAGE);
      assertThat(raw.await("RST_STREAM", 5)).isNotNull();
    }
  }

  @Test
  void aStreamResetMidMessageLeavesTheConnectionServing() throws Exception {
    try (RawHttp2Client raw = connect()) {
      raw.headers(1, RawHttp2Client.grpcRequest(ECHO), false);
      raw.data(1, RawHttp2Client.message(1000, new byte[10]), false);
      raw.rst(1, Http2Error.CANCEL);
      Http2Headers check = RawHttp2Client.grpcRequest(HEALTH_CHECK).set("content-type", "application/grpc");
      raw.headers(3, check, false);
      raw.data(3, RawHttp2Client.message(0, new byte[0]), true); // an empty HealthCheckRequest
      RawHttp2Client.Frame trailers = raw.awaitTrailers(3, 5);
      assertThat(trailers).as("the next stream on the same connection is served").isNotNull();
      assertThat(trailers.headers().get("grpc-status").toString()).isEqualTo("0");
    }
  }

  @Test
  void invalidHeadersResetTheStreamOrConnection() throws Exception {
    try (RawHttp2Client raw = connect()) {
      Http2Headers upperCase = new DefaultHttp2Headers(false).method("POST").scheme("http").authority("x")
          .path(ECHO).add("Content-Type", "application/grpc+kryo");
      raw.headers(1, upperCase, true);
      RawHttp2Client.Frame answer = raw.await("RST_STREAM", 5);
      if (answer == null) {
        assertThat(raw.await("CLOSED", 5)).as("a stream error or a connection error").isNotNull();
      } else {
        assertThat(answer.code()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
      }
    }
  }

  @Test
  void aMissingPathIsRefusedWith404() throws Exception {
    try (RawHttp2Client raw = connect()) {
      Http2Headers noPath = new DefaultHttp2Headers(false).method("POST").scheme("http").authority("x")
          .add("content-type", "application/grpc+kryo");
      raw.headers(1, noPath, true);
      RawHttp2Client.Frame response = raw.awaitTrailers(1, 5);
      assertThat(response.headers().status().toString()).isEqualTo("404");
      assertThat(response.headers().get("grpc-message").toString()).contains("malformed path");
    }
  }

  @Test
  void aBadPrefaceClosesTheConnection() throws Exception {
    try (RawHttp2Client raw = new RawHttp2Client(server.port())) {
      raw.writeRaw("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(raw.await("CLOSED", 5)).isNotNull();
    }
  }

  @Test
  void garbageAfterThePrefaceIsAConnectionError() throws Exception {
    try (RawHttp2Client raw = connect()) {
      // a DATA frame on stream 0 is a connection error (PROTOCOL_ERROR)
      raw.writeRaw(new byte[] {0, 0, 4, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
      RawHttp2Client.Frame goAway = raw.await("GOAWAY", 5);
      assertThat(goAway).isNotNull();
      assertThat(goAway.code()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
      assertThat(raw.await("CLOSED", 5)).isNotNull();
    }
  }

  @Test
  void unknownBytesCloseTheConnection() throws Exception {
    try (RawHttp2Client raw = new RawHttp2Client(server.port())) {
      raw.writeRaw(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
      assertThat(raw.await("CLOSED", 5)).isNotNull();
    }
  }
}
