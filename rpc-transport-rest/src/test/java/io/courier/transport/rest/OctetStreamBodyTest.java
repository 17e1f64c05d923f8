package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.common.RpcService;
import io.courier.server.RpcServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code byte[]} bodies as raw bytes ({@code application/octet-stream}) rather than base64 in JSON: what the server
 * reads and answers, byte for byte, what it refuses, and that Courier's own client uses raw bytes both ways (over
 * HTTP/1.1 and h2), proved by body limits that the base64 form would exceed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OctetStreamBodyTest {

  /** Every byte value, so that nothing text-like survives by luck. */
  private static final byte[] ALL_BYTES = new byte[256];

  static {
    for (int i = 0; i < ALL_BYTES.length; i++) {
      ALL_BYTES[i] = (byte) i;
    }
  }

  @RpcService(name = "demo.Blobs")
  public interface Blobs {
    byte[] reverse(byte[] data);

    int size(byte[] data);

    byte[] bytesOf(String text);

    String concat(byte[] a, byte[] b);

    byte[] none();
  }

  static final class BlobsImpl implements Blobs {
    @Override
    public byte[] reverse(byte[] data) {
      if (data == null) {
        return null;
      }
      byte[] out = new byte[data.length];
      for (int i = 0; i < data.length; i++) {
        out[i] = data[data.length - 1 - i];
      }
      return out;
    }

    @Override
    public int size(byte[] data) {
      return data == null ? -1 : data.length;
    }

    @Override
    public byte[] bytesOf(String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String concat(byte[] a, byte[] b) {
      return a.length + "+" + b.length;
    }

    @Override
    public byte[] none() {
      return null;
    }
  }

  private static final int LIMIT = 1_000;
  /** Fits a limit of 1,000 bytes raw; as base64 in a JSON string (1,202 bytes) it would not. */
  private static final int NEAR_LIMIT = 900;

  private RpcServer server;

  @BeforeAll
  void start() {
    server = RpcServer.builder().host("127.0.0.1").listen("rest", 0).service(Blobs.class, new BlobsImpl())
        .option(RestOptions.MAX_BODY_SIZE, LIMIT).build().start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void rawBytesInAreAnsweredWithRawBytes() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response r = http.send(request("/demo.Blobs/reverse", "application/octet-stream", ALL_BYTES)).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo("application/octet-stream");
      assertThat(r.bytes()).isEqualTo(new BlobsImpl().reverse(ALL_BYTES));
    }
  }

  @Test
  void anEmptyRawBodyIsAnEmptyArray() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response r = http.send(request("/demo.Blobs/size", "application/octet-stream", new byte[0])).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("0");
    }
  }

  @Test
  void jsonStaysJsonUnlessRawBytesAreAskedFor() throws Exception {
    String base64 = "\"" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + "\"";
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response json = http.exchange("POST", "/demo.Blobs/reverse", base64);
      assertThat(json.header("content-type")).startsWith("application/json");
      assertThat(json.body()).isEqualTo("\"" + Base64.getEncoder().encodeToString(new byte[] {3, 2, 1}) + "\"");
      RawHttp.Response raw = http.exchange("POST", "/demo.Blobs/reverse", base64,
          "Accept: application/octet-stream");
      assertThat(raw.header("content-type")).isEqualTo("application/octet-stream");
      assertThat(raw.bytes()).containsExactly(3, 2, 1);
      RawHttp.Response text = http.exchange("POST", "/demo.Blobs/bytesOf", "\"héllo\"",
          "Accept: application/octet-stream");
      assertThat(text.bytes()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aResultThatIsNotBytesIsAnsweredAsJson() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response r = http.send(request("/demo.Blobs/size", "application/octet-stream", ALL_BYTES)).read();
      assertThat(r.header("content-type")).startsWith("application/json");
      assertThat(r.body()).isEqualTo("256");
    }
  }

  @Test
  void aNullResultIsJsonNullEvenWhenRawBytesWereAskedFor() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response r = http.exchange("POST", "/demo.Blobs/none", null, "Accept: application/octet-stream");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).startsWith("application/json");
      assertThat(r.body()).isEqualTo("null");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/demo.Blobs/concat", "/demo.Blobs/bytesOf", "/demo.Blobs/none"})
  void rawBytesForAMethodWithoutOneByteArrayParameterAre415(String path) throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response r = http.send(request(path, "application/octet-stream", ALL_BYTES)).read();
      assertThat(r.status()).isEqualTo(415);
      assertThat(r.body()).contains("'application/octet-stream' is read only for a method whose one body parameter"
          + " is byte[]").contains("send application/json");
      assertThat(http.exchange("POST", "/demo.Blobs/size", "\"AAE=\"").body()).isEqualTo("2"); // still served
    }
  }

  @Test
  void anUnsupportedContentTypeNamesRawBytesWhereTheMethodTakesThem() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response bytes = http.exchange("POST", "/demo.Blobs/reverse", "hello", "Content-Type: text/plain");
      assertThat(bytes.status()).isEqualTo(415);
      assertThat(bytes.body()).contains("or application/octet-stream for its byte[]");
      RawHttp.Response text = http.exchange("POST", "/demo.Blobs/bytesOf", "hello", "Content-Type: text/plain");
      assertThat(text.status()).isEqualTo(415);
      assertThat(text.body()).doesNotContain("octet-stream");
    }
  }

  @Test
  void aRawBodyOverTheLimitIsAnswered413() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response r = http.send(request("/demo.Blobs/size", "application/octet-stream", new byte[LIMIT + 1]))
          .read();
      assertThat(r.status()).isEqualTo(413);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void courierClientsSendAndReadRawBytes(boolean h2) {
    byte[] data = new byte[NEAR_LIMIT];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    try (RpcClient client = RpcClient.builder().transport("rest").serializer("json")
        .address("127.0.0.1:" + server.port()).option(RestOptions.HTTP2, h2).option(RestOptions.MAX_BODY_SIZE, LIMIT)
        .build()) {
      Blobs blobs = client.create(Blobs.class);
      // as base64 in JSON, 900 bytes are a 1,202-byte body: over both sides' 1,000-byte limit
      assertThat(blobs.reverse(data)).isEqualTo(new BlobsImpl().reverse(data));
      assertThat(blobs.size(data)).isEqualTo(NEAR_LIMIT);
      assertThat(blobs.size(null)).isEqualTo(-1); // a null byte[] goes as JSON's null
      assertThat(blobs.reverse(new byte[0])).isEmpty();
      assertThat(blobs.none()).isNull();
      assertThat(blobs.concat(new byte[] {1}, new byte[] {2, 3})).isEqualTo("1+2"); // two byte[]: JSON, as before
    }
  }

  private static byte[] request(String path, String contentType, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }
}
