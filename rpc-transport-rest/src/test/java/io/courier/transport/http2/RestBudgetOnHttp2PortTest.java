package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.transport.rest.RestBinding;
import io.courier.transport.rest.RestOptions;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Http2BudgetTest}'s cases for REST over h2 on an {@code http2} port ({@link RestBinding}): a REST body and a
 * REST answer wait for the connection's budgets with its gRPC streams, and a body must arrive whole within the read
 * timeout (on the {@code rest} transport's own port too, which also closes idle h2 connections). Here, in the REST
 * binding's module, in the http2 package for its {@link RawHttp2Client} (courier-transport-http2's test jar).
 */
class RestBudgetOnHttp2PortTest {

  private static final String BYTES = "/courier.testing.EchoService/bytes";
  private final EchoServiceImpl echo = new EchoServiceImpl();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
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

  /** A REST request over h2 of {@code echo(String)} whose body is about {@code size} bytes of JSON. */
  private static Http2Headers restEcho(int size) {
    return new DefaultHttp2Headers().method("POST").scheme("http").authority("localhost")
        .path("/courier.testing.EchoService/echo").add("content-type", "application/json")
        .addInt("content-length", restEchoBody(size).length);
  }

  private static byte[] restEchoBody(int size) {
    return ("\"" + "a".repeat(size - 2) + "\"").getBytes(StandardCharsets.UTF_8);
  }

  private RpcServer restServer(RpcServer.Builder builder) {
    return server(builder.option(Http2Options.HTTP1_HANDLER, new RestBinding()));
  }

  @Test
  void aRestBodyBeyondTheConnectionsBudgetWaitsUntilAnotherGivesBudgetBack() throws Exception {
    RpcServer server = restServer(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024));
    RawHttp2Client raw = raw(server);
    raw.headers(1, RawHttp2Client.grpcRequest(BYTES), false).data(1, RawHttp2Client.message(200 * 1024,
        new byte[10]), false); // 200 KiB held for stream 1
    // a REST body of 60 KiB: over the 56 KiB left, within the 64 KiB this client may send before WINDOW_UPDATE
    raw.headers(3, restEcho(60 * 1024), false).data(3, restEchoBody(60 * 1024), true);
    assertThat(raw.awaitHeaders(3, 1)).as("the REST request neither refused nor served while stream 1 holds the budget")
        .isNull();
    raw.rst(1, Http2Error.CANCEL);
    RawHttp2Client.Frame answer = raw.awaitHeaders(3, 5);
    assertThat(answer).isNotNull();
    assertThat(String.valueOf(answer.headers().status())).isEqualTo("200");
  }

  @Test
  void aRestBodyThatWaitsForBudgetPastTheReadTimeoutIsRefused() throws Exception {
    RpcServer server = restServer(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024).workerThreads(1)
        .option(Http2Options.READ_TIMEOUT, Duration.ofMillis(300)));
    // the one worker sleeps, so a whole gRPC request queued behind it holds its 200 KiB past the read timeout (one
    // still arriving could not: it must be whole within the read timeout)
    EchoService sleeper = other(server);
    CompletableFuture<String> sleeping = CompletableFuture.supplyAsync(() -> sleeper.sleep(20_000));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (echo.sleepers.isEmpty()) {
      assertThat(System.nanoTime() - deadline).as("the sleeper is asleep on the server").isNegative();
      Thread.sleep(5);
    }
    RawHttp2Client raw = raw(server);
    raw.headers(1, RawHttp2Client.grpcRequest(BYTES), false).data(1, RawHttp2Client.message(
        SerializerSet.load(TypeAllowlist.withDefaults()).byName("kryo"), new Object[] {new byte[200 * 1024]},
        new Type[] {byte[].class}), true);
    raw.headers(3, restEcho(60 * 1024), false).data(3, restEchoBody(60 * 1024), true);
    RawHttp2Client.Frame refused = raw.awaitHeaders(3, 5);
    assertThat(refused).isNotNull();
    assertThat(String.valueOf(refused.headers().status())).isEqualTo("429");
    echo.wake.get().countDown();
    assertThat(sleeping.get(5, TimeUnit.SECONDS)).isNotNull();
    raw.windowUpdate(0, 1 << 20).windowUpdate(1, 1 << 20); // room for its 200 KiB answer
    assertThat(String.valueOf(raw.awaitTrailers(1, 5).headers().get("grpc-status"))).isEqualTo("0");
    // nothing leaked: the budget holds a large request again
    raw.headers(5, restEcho(200 * 1024), false).data(5, restEchoBody(200 * 1024), true);
    assertThat(String.valueOf(raw.awaitHeaders(5, 5).headers().status())).isEqualTo("200");
  }

  @Test
  void aRestBodyNotWholeWithinTheReadTimeoutIs408AndItsBudgetIsGivenBack() throws Exception {
    aStalledBodyIsRefused(restServer(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024)
        .option(Http2Options.READ_TIMEOUT, Duration.ofMillis(300))));
  }

  @Test
  void onTheRestTransportsOwnPortToo() throws Exception {
    RpcServer server = RpcServer.builder().host("127.0.0.1").listen("rest", 0).service(EchoService.class, echo)
        .maxBufferedBytes(1 << 20, 256 * 1024).option(RestOptions.READ_TIMEOUT, Duration.ofMillis(300)).build()
        .start();
    resources.add(server);
    aStalledBodyIsRefused(server);
  }

  @Test
  void anIdleH2ConnectionOnTheRestPortGoesAway() throws Exception {
    RpcServer server = RpcServer.builder().host("127.0.0.1").listen("rest", 0).service(EchoService.class, echo)
        .option(RestOptions.IDLE_TIMEOUT, Duration.ofMillis(100)).build().start(); // the server's: 200 ms
    resources.add(server);
    RawHttp2Client raw = raw(server);
    raw.headers(1, restEcho(100), false).data(1, restEchoBody(100), true);
    assertThat(String.valueOf(raw.awaitHeaders(1, 5).headers().status())).isEqualTo("200");
    assertThat(raw.await("GOAWAY", 5)).as("GOAWAY once no stream was open for twice the idle timeout").isNotNull();
  }

  /** The headers of a 200 KiB body (its bytes are reserved on them) and 10 bytes of it, then nothing. */
  private void aStalledBodyIsRefused(RpcServer server) throws Exception {
    RawHttp2Client raw = raw(server);
    raw.headers(1, restEcho(200 * 1024), false).data(1, java.util.Arrays.copyOf(restEchoBody(200 * 1024), 10),
        false);
    RawHttp2Client.Frame answer = raw.awaitHeaders(1, 5);
    assertThat(answer).as("an answer to the stalled request").isNotNull();
    assertThat(String.valueOf(answer.headers().status())).isEqualTo("408");
    // the 200 KiB were given back: as large a body fits the connection's 256 KiB again
    raw.headers(3, restEcho(200 * 1024), false).data(3, restEchoBody(200 * 1024), true);
    RawHttp2Client.Frame served = raw.awaitHeaders(3, 5);
    assertThat(served).isNotNull();
    assertThat(String.valueOf(served.headers().status())).isEqualTo("200");
  }

  @Test
  void aRestAnswerBeyondTheResponseBudgetWaitsForTheClientToReadAndIsThenSent() throws Exception {
    RpcServer server = restServer(RpcServer.builder().maxBufferedBytes(1 << 20, 256 * 1024));
    RawHttp2Client raw = new RawHttp2Client(server.port()).handshake(new Http2Settings().initialWindowSize(0));
    resources.add(raw);
    // 5 answers of 60 KiB of JSON: 4 are held in the connection's 256 KiB, the fifth waits instead of being refused
    for (int id = 1; id <= 9; id += 2) {
      raw.headers(id, restEcho(60 * 1024), false).data(id, restEchoBody(60 * 1024), true);
    }
    Map<Integer, String> heads = new TreeMap<>();
    for (RawHttp2Client.Frame f = raw.await("HEADERS", 1); f != null; f = raw.await("HEADERS", 1)) {
      heads.put(f.streamId(), String.valueOf(f.headers().status()));
    }
    assertThat(heads.values()).as("before the client reads: none refused").doesNotContain("429");
    raw.windowUpdate(0, 1 << 20);
    for (int id = 1; id <= 9; id += 2) {
      raw.windowUpdate(id, 1 << 20);
    }
    for (RawHttp2Client.Frame f = raw.await("HEADERS", 5); f != null && heads.size() < 5; f = raw.await("HEADERS", 5)) {
      heads.put(f.streamId(), String.valueOf(f.headers().status()));
    }
    assertThat(heads).containsOnlyKeys(1, 3, 5, 7, 9).containsValues("200").doesNotContainValue("429");
  }
}
