package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.auth.BearerAuth;
import io.courier.client.RpcClient;
import io.courier.common.ServiceDescriptor;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Settings;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What one HTTP/2 connection can make a server hold, and for how long: admission before the stream's DATA, request
 * messages within the connection's budget, responses to a peer that does not read within it, frames and header blocks
 * within the read timeout, and pings within what the server permits — while other clients go on being served.
 */
class Http2BudgetTest {

  private static final String BYTES = "/courier.testing.EchoService/bytes";
  private static final String COUNT = "/courier.testing.EchoService/count";
  private final Serializer kryo = SerializerSet.load(TypeAllowlist.withDefaults()).byName("kryo");
  private final EchoServiceImpl echo = new EchoServiceImpl();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(15);

  @AfterEach
  void closeAll() throws Exception {
    pool.shutdownNow();
    echo.wake.get().countDown();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private RpcServer server(RpcServer.Builder builder) {
    RpcServer server = builder.host("127.0.0.1").listen("http2", 0).service(EchoService.class, echo).build().start();
    resources.add(server);
    return server;
  }

  private RawHttp2Client raw(RpcServer server) throws Exception {
    RawHttp2Client raw = new RawHttp2Client(server.port()).handshake();
    resources.add(raw);
    return raw;
  }

  private EchoService other(RpcServer server) {
    RpcClient client = RpcClient.builder().transport("http2").address("127.0.0.1:" + server.port())
        .serializer("kryo").build();
    resources.add(client);
    return client.create(EchoService.class);
  }

  /** The gRPC message of a {@code bytes(byte[])} call with {@code size} bytes. */
  private byte[] bytesRequest(int size) {
    return RawHttp2Client.message(kryo, new Object[] {new byte[size]}, new Type[] {byte[].class});
  }

  /** The gRPC message of a {@code count(List<String>)} call of {@code words} words (about 6 bytes each). */
  private byte[] countRequest(int words) {
    return RawHttp2Client.message(kryo, new Object[] {new ArrayList<>(Collections.nCopies(words, "words"))},
        ServiceDescriptor.of(EchoService.class).method("count").requestTypes());
  }

  /**
   * A whole request over the 56 KiB that a connection of 256 KiB has left while 200 KiB are held, and within the
   * 64 KiB that HTTP/2 lets this client send before the server's first WINDOW_UPDATE.
   */
  private byte[] waitingRequest() {
    byte[] request = countRequest(10_000);
    assertThat(request.length).isBetween(256 * 1024 - 200 * 1024 + 1, 65_535 - 100);
    return request;
  }

  private static String status(RawHttp2Client.Frame trailers) {
    assertThat(trailers).as("trailers").isNotNull();
    return String.valueOf(trailers.headers().get("grpc-status"));
  }

  @Test
  void anUnauthenticatedStreamIsRefusedOnItsHeadersBeforeAnyData() throws Exception {
    RpcServer server = server(RpcServer.builder()
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("t0ken", "caller")))));
    RawHttp2Client raw = raw(server);
    raw.headers(1, RawHttp2Client.grpcRequest(BYTES), false); // a request whose message never comes
    assertThat(status(raw.awaitTrailers(1, 5))).isEqualTo("16"); // UNAUTHENTICATED
  }

  @Test
  void twoAuthorizationHeadersAreRefusedEvenIfOneIsValid() throws Exception {
    RpcServer server = server(RpcServer.builder()
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("t0ken", "caller")))));
    RawHttp2Client raw = raw(server);
    raw.headers(1, RawHttp2Client.grpcRequest(BYTES).add("authorization", "Bearer t0ken")
        .add("authorization", "Bearer other"), false);
    RawHttp2Client.Frame refused = raw.awaitTrailers(1, 5);
    assertThat(status(refused)).isEqualTo("16"); // UNAUTHENTICATED
    assertThat(String.valueOf(refused.headers().get("grpc-message"))).contains("more than one authorization header");
    raw.headers(3, RawHttp2Client.grpcRequest(BYTES).add("authorization", "Bearer t0ken"), false)
        .data(3, bytesRequest(10), true);
    assertThat(status(raw.awaitTrailers(3, 5))).as("one valid header is served").isEqualTo("0");
  }

  @Test
  void aRequestBeyondTheConnectionsBudgetWaitsUntilAnotherGivesBudgetBack() throws Exception {
    RpcServer server = server(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024));
    RawHttp2Client raw = raw(server);
    // stream 1 claims a 200 KiB message and sends 10 bytes of it: 200 KiB are held for it
    raw.headers(1, RawHttp2Client.grpcRequest(BYTES), false).data(1, RawHttp2Client.message(200 * 1024,
        new byte[10]), false);
    // stream 3's whole request does not fit the 56 KiB left of the connection's 256 KiB now: it waits, not refused
    raw.headers(3, RawHttp2Client.grpcRequest(COUNT), false).data(3, waitingRequest(), true);
    assertThat(raw.awaitTrailers(3, 1)).as("stream 3 neither refused nor served while stream 1 holds the budget")
        .isNull();
    assertThat(other(server).echo("others are served")).isEqualTo("others are served");
    // stream 1 gives up: its bytes are given back, and the waiting request is served
    raw.rst(1, Http2Error.CANCEL);
    assertThat(status(raw.awaitTrailers(3, 5))).isEqualTo("0");
  }

  @Test
  void requestsBeyondTheStreamsThatMayWaitAreRefusedAndNothingLeaks() throws Exception {
    // 256 KiB per connection, 1 MiB stream windows: one stream at a time may wait (maxBudgetWaiters)
    RpcServer server = server(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024));
    RawHttp2Client raw = raw(server);
    raw.headers(1, RawHttp2Client.grpcRequest(BYTES), false).data(1, RawHttp2Client.message(200 * 1024,
        new byte[10]), false);
    raw.headers(3, RawHttp2Client.grpcRequest(COUNT), false).data(3, waitingRequest(), true); // waits
    raw.headers(5, RawHttp2Client.grpcRequest(BYTES), false).data(5, RawHttp2Client.message(200 * 1024,
        new byte[10]), false);
    RawHttp2Client.Frame refused = raw.awaitTrailers(5, 5);
    assertThat(status(refused)).isEqualTo("8"); // RESOURCE_EXHAUSTED
    assertThat(String.valueOf(refused.headers().get("grpc-message"))).contains("connection's request budget");
    raw.rst(1, Http2Error.CANCEL);
    assertThat(status(raw.awaitTrailers(3, 5))).isEqualTo("0");
    // everything was given back: a large request fits again
    raw.headers(7, RawHttp2Client.grpcRequest(COUNT), false).data(7, countRequest(30_000), true);
    assertThat(status(raw.awaitTrailers(7, 5))).isEqualTo("0");
  }

  @Test
  void aRequestThatWaitsForBudgetPastTheReadTimeoutIsRefused() throws Exception {
    RpcServer server = server(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024).workerThreads(1)
        .option(Http2Options.READ_TIMEOUT, Duration.ofMillis(300)));
    // the one worker sleeps, so a whole request queued behind it holds its 200 KiB for longer than the read timeout
    // (a request still arriving could not: it must be whole within the read timeout)
    EchoService sleeper = other(server);
    CompletableFuture<String> sleeping = CompletableFuture.supplyAsync(() -> sleeper.sleep(20_000), pool);
    awaitSleepers(1);
    RawHttp2Client raw = raw(server);
    raw.headers(1, RawHttp2Client.grpcRequest(BYTES), false).data(1, bytesRequest(200 * 1024), true);
    raw.headers(3, RawHttp2Client.grpcRequest(COUNT), false).data(3, waitingRequest(), true);
    Map<Integer, RawHttp2Client.Frame> ended = new TreeMap<>();
    RawHttp2Client.Frame refused = trailers(raw, ended, 3);
    assertThat(status(refused)).isEqualTo("8");
    // refused for the wait, not for arriving late: its clock stopped while the server held it back
    assertThat(String.valueOf(refused.headers().get("grpc-message"))).contains("could not hold a message",
        "within 300 ms");
    assertThat(ended).as("the queued request is still queued").doesNotContainKey(1);
    echo.wake.get().countDown();
    assertThat(sleeping.get(5, TimeUnit.SECONDS)).isNotNull();
    raw.windowUpdate(0, 1 << 20).windowUpdate(1, 1 << 20); // room for its 200 KiB answer
    assertThat(status(trailers(raw, ended, 1))).isEqualTo("0"); // the queued request was served once a worker was
  }

  /** The trailers of {@code streamId}, keeping those of other streams that end meanwhile in {@code ended}. */
  private static RawHttp2Client.Frame trailers(RawHttp2Client raw, Map<Integer, RawHttp2Client.Frame> ended,
      int streamId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!ended.containsKey(streamId) && System.nanoTime() - deadline < 0) {
      RawHttp2Client.Frame f = raw.await("HEADERS", 1);
      if (f != null && f.endStream()) {
        ended.put(f.streamId(), f);
      }
    }
    return ended.get(streamId);
  }

  private void awaitSleepers(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (echo.sleepers.size() < n) {
      assertThat(System.nanoTime() - deadline).as("%d call(s) asleep on the server", n).isNegative();
      Thread.sleep(5);
    }
  }

  @Test
  void aMessageAnnouncedButNotSentWithinTheReadTimeoutIsRefusedAndItsBudgetGivenBack() throws Exception {
    RpcServer server = server(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024)
        .option(Http2Options.READ_TIMEOUT, Duration.ofMillis(300)));
    RawHttp2Client raw = raw(server);
    // claims a 200 KiB message, sends 10 bytes of it, and stops: the claim holds 200 KiB of the budget every
    // transport's callers share, for no longer than the read timeout
    raw.headers(1, RawHttp2Client.grpcRequest(BYTES), false).data(1, RawHttp2Client.message(200 * 1024,
        new byte[10]), false);
    RawHttp2Client.Frame refused = raw.awaitTrailers(1, 5);
    assertThat(status(refused)).isEqualTo("8"); // RESOURCE_EXHAUSTED
    assertThat(String.valueOf(refused.headers().get("grpc-message")))
        .contains("did not arrive whole within 300 ms", "Http2Options.READ_TIMEOUT");
    // the 200 KiB were given back (180 KiB fit the connection's 256 KiB again) and the connection serves on
    raw.headers(3, RawHttp2Client.grpcRequest(COUNT), false).data(3, countRequest(30_000), true);
    assertThat(status(raw.awaitTrailers(3, 5))).isEqualTo("0");
  }

  @Test
  void aUnaryRequestWithoutItsEndOfStreamPastTheReadTimeoutIsRefused() throws Exception {
    RpcServer server = server(RpcServer.builder().option(Http2Options.READ_TIMEOUT, Duration.ofMillis(300)));
    RawHttp2Client raw = raw(server);
    // the whole message, buffered and reserved until END_STREAM dispatches the call, and END_STREAM never comes
    raw.headers(1, RawHttp2Client.grpcRequest(BYTES), false).data(1, bytesRequest(1000), false);
    RawHttp2Client.Frame refused = raw.awaitTrailers(1, 5);
    assertThat(status(refused)).isEqualTo("8");
    assertThat(String.valueOf(refused.headers().get("grpc-message"))).contains("its message and END_STREAM");
    assertThat(other(server).echo("others are served")).isEqualTo("others are served");
  }

  @Test
  void aStreamingRequestMayIdleBetweenMessagesButEachMustArriveWholeInTime() throws Exception {
    RpcServer server = server(RpcServer.builder().service(StreamService.class, new StreamService.Impl())
        .option(Http2Options.READ_TIMEOUT, Duration.ofMillis(300)));
    RawHttp2Client raw = raw(server);
    String shout = "/courier.test.Streams/shout";
    raw.headers(1, RawHttp2Client.grpcRequest(shout), false).data(1, stringMessage("hello"), false);
    assertThat(raw.await("DATA", 5)).as("the first answer").isNotNull();
    // longer than the read timeout between two messages: a stream may idle
    assertThat(raw.awaitTrailers(1, 1)).as("the stream is not cut while no message is arriving").isNull();
    raw.data(1, stringMessage("again"), false);
    assertThat(raw.await("DATA", 5)).as("the second answer").isNotNull();
    // a message begun and left unfinished is not
    raw.data(1, RawHttp2Client.message(100 * 1024, new byte[10]), false);
    RawHttp2Client.Frame refused = raw.awaitTrailers(1, 5);
    assertThat(status(refused)).isEqualTo("8");
    assertThat(String.valueOf(refused.headers().get("grpc-message"))).contains("a request message of",
        "did not arrive whole within 300 ms");
  }

  private byte[] stringMessage(String value) {
    return RawHttp2Client.message(kryo, new Object[] {value}, new Type[] {String.class});
  }

  @Test
  void concurrentLargeCallsOnOneConnectionBeyondItsBudgetAllSucceed() throws Exception {
    // 2 MiB per connection and 64 KiB stream windows: 7 requests of 256 KiB fit, 8 more may wait (maxBudgetWaiters)
    RpcServer server = server(RpcServer.builder().maxBufferedBytes(64 << 20, 2 << 20)
        .option(Http2Options.FLOW_CONTROL_WINDOW, 65_535));
    assertThat(Http2ServerConnection.maxBudgetWaiters(2 << 20, 65_535)).isEqualTo(8);
    EchoService client = other(server); // one connection
    byte[] payload = new byte[256 * 1024];
    List<CompletableFuture<byte[]>> calls = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 15; i++) { // 15 x 256 KiB = 3.75 MiB in flight on one connection
        calls.add(CompletableFuture.supplyAsync(() -> client.bytes(payload), pool));
      }
      for (CompletableFuture<byte[]> call : calls) {
        assertThat(call.get(30, TimeUnit.SECONDS)).hasSize(payload.length);
      }
      calls.clear();
    }
  }

  @Test
  void responsesToAPeerThatDoesNotReadStayWithinTheConnectionsBudget() throws Exception {
    RpcServer server = server(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024));
    RawHttp2Client raw = raw(server); // never sends WINDOW_UPDATE: 64 KiB of DATA reach it, then nothing
    for (int id = 1; id <= 15; id += 2) { // 8 responses of 60 KiB: 480 KiB, more than 64 KiB + 256 KiB
      raw.headers(id, RawHttp2Client.grpcRequest(BYTES), false).data(id, bytesRequest(60 * 1024), true);
    }
    Map<Integer, String> ended = new TreeMap<>();
    for (RawHttp2Client.Frame f = raw.await("HEADERS", 3); f != null; f = raw.await("HEADERS", 2)) {
      if (f.endStream()) {
        ended.put(f.streamId(), String.valueOf(f.headers().get("grpc-status")));
      }
    }
    long held = 8 - ended.size();
    assertThat(ended).as("calls that ended").containsValue("8"); // RESOURCE_EXHAUSTED: refused, not queued
    assertThat(held).as("responses held for the peer (60 KiB each, 256 KiB allowed)").isBetween(1L, 5L);
    assertThat(other(server).bytes(new byte[60 * 1024])).hasSize(60 * 1024);
  }

  @Test
  void anAnswerBeyondTheResponseBudgetWaitsForTheClientToReadAndIsThenSent() throws Exception {
    RpcServer server = server(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024));
    // a client whose streams start with no window: it reads nothing until it opens them below
    RawHttp2Client raw = new RawHttp2Client(server.port()).handshake(new Http2Settings().initialWindowSize(0));
    resources.add(raw);
    // 5 answers of 60 KiB: 4 are held in the connection's 256 KiB, the fifth waits in the 64 KiB that may wait (a
    // quarter of the budget) instead of being refused
    for (int id = 1; id <= 9; id += 2) {
      raw.headers(id, RawHttp2Client.grpcRequest(BYTES), false).data(id, bytesRequest(60 * 1024), true);
    }
    Map<Integer, String> ended = new TreeMap<>();
    for (RawHttp2Client.Frame f = raw.await("HEADERS", 1); f != null; f = raw.await("HEADERS", 1)) {
      if (f.endStream()) {
        ended.put(f.streamId(), String.valueOf(f.headers().get("grpc-status")));
      }
    }
    assertThat(ended).as("answers before the client reads: none refused, none sent").isEmpty();
    // the client reads: it opens the connection's window and each stream's, and every answer arrives
    raw.windowUpdate(0, 1 << 20);
    for (int id = 1; id <= 9; id += 2) {
      raw.windowUpdate(id, 1 << 20);
    }
    for (RawHttp2Client.Frame f = raw.await("HEADERS", 5); f != null && ended.size() < 5; f = raw.await("HEADERS", 5)) {
      if (f.endStream()) {
        ended.put(f.streamId(), String.valueOf(f.headers().get("grpc-status")));
      }
    }
    assertThat(ended).containsOnlyKeys(1, 3, 5, 7, 9).containsValues("0").doesNotContainValue("8");
  }

  @Test
  void aFrameTrickledPastTheReadTimeoutClosesTheConnection() throws Exception {
    RpcServer server = server(RpcServer.builder().option(Http2Options.READ_TIMEOUT, Duration.ofMillis(300)));
    RawHttp2Client raw = raw(server);
    raw.writeRaw(new byte[] {0, 0, 100, 0, 0}); // the first 5 bytes of a frame header, and nothing more
    assertThat(raw.await("CLOSED", 10)).as("closed").isNotNull();
    assertThat(other(server).echo("others are served")).isEqualTo("others are served");
  }

  @Test
  void aHeaderBlockLeftOpenPastTheReadTimeoutClosesTheConnection() throws Exception {
    RpcServer server = server(RpcServer.builder().option(Http2Options.READ_TIMEOUT, Duration.ofMillis(300)));
    RawHttp2Client raw = raw(server);
    // a whole HEADERS frame without END_HEADERS: the header block waits for CONTINUATION frames that never come
    byte[] block = {(byte) 0x83, (byte) 0x86}; // :method POST, :scheme http (HPACK static table)
    raw.writeRaw(new byte[] {0, 0, (byte) block.length, 0x1, 0x0, 0, 0, 0, 1, block[0], block[1]});
    assertThat(raw.await("CLOSED", 10)).as("closed").isNotNull();
  }

  @Test
  void aClientThatPingsTooOftenIsToldToCalmDown() throws Exception {
    RpcServer server = server(RpcServer.builder());
    RawHttp2Client raw = raw(server);
    for (int i = 0; i < 3; i++) { // within PERMIT_KEEPALIVE_TIME (5 minutes) of each other: the third is one too many
      raw.ping(i);
    }
    RawHttp2Client.Frame goAway = raw.await("GOAWAY", 5);
    assertThat(goAway).as("GOAWAY").isNotNull();
    assertThat(goAway.code()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
    assertThat(raw.await("CLOSED", 5)).isNotNull();
    assertThat(other(server).echo("others are served")).isEqualTo("others are served");
  }

  @Test
  void pingsWithinThePermittedRateAreAnswered() throws Exception {
    RpcServer server = server(RpcServer.builder().option(Http2Options.PERMIT_KEEPALIVE_TIME, Duration.ZERO));
    RawHttp2Client raw = raw(server);
    for (int i = 0; i < 5; i++) {
      raw.ping(i);
      assertThat(raw.await("PING_ACK", 5)).as("ack %s", i).isNotNull();
    }
  }

  @Test
  void aCompressedMessageCountsAtItsDecompressedSize() throws Exception {
    RpcServer server = server(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024));
    RawHttp2Client raw = raw(server);
    byte[] compressed = gzip(new byte[200 * 1024]); // a few hundred bytes that inflate to 200 KiB
    byte[] message = new byte[5 + compressed.length];
    message[0] = 1; // compressed
    java.nio.ByteBuffer.wrap(message, 1, 4).putInt(compressed.length);
    System.arraycopy(compressed, 0, message, 5, compressed.length);
    for (int id : new int[] {1, 3}) { // each held whole (no END_STREAM yet): 2 x 200 KiB inflated > 256 KiB
      raw.headers(id, RawHttp2Client.grpcRequest(BYTES).add("grpc-encoding", "gzip"), false).data(id, message, false);
    }
    RawHttp2Client.Frame refused = raw.awaitTrailers(3, 5);
    assertThat(status(refused)).isEqualTo("8"); // RESOURCE_EXHAUSTED: counted inflated, not as sent
    assertThat(String.valueOf(refused.headers().get("grpc-message"))).contains("decompressed");
  }

  private static byte[] gzip(byte[] bytes) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
      zip.write(bytes);
    }
    return out.toByteArray();
  }
}
