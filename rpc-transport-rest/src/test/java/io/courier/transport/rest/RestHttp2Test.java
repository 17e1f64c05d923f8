package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.common.RpcService;
import io.courier.rest.RestRoute;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.Polling;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.TransportContext;
import io.courier.transport.http2.Http1Handler;
import io.courier.transport.http2.Http2Options;
import io.courier.transport.http2.HttpExchange;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * REST over h2 (cleartext, prior knowledge) on both places it is served: a {@code rest} listener, and an
 * {@code http2} port with {@link RestBinding} — where gRPC, Courier TCP and HTTP/1.1 REST keep working next to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestHttp2Test {

  private static final int MAX_BODY = 64 * 1024;

  private final UserResource.Impl users = new UserResource.Impl();
  private RpcServer restServer;
  private RpcServer sharedServer;

  @BeforeAll
  void start() {
    restServer = RpcServer.builder().host("127.0.0.1").listen("rest", 0).service(UserResource.class, users)
        .option(RestOptions.MAX_BODY_SIZE, MAX_BODY).build().start();
    sharedServer = RpcServer.builder().host("127.0.0.1").listen("http2", 0).service(UserResource.class, users)
        .service(EchoService.class, new EchoServiceImpl())
        .option(Http2Options.HTTP1_HANDLER, new RestBinding()).option(RestOptions.MAX_BODY_SIZE, MAX_BODY)
        .build().start();
  }

  @AfterAll
  void stop() {
    restServer.close();
    sharedServer.close();
  }

  private int port(String where) {
    return where.equals("rest") ? restServer.port() : sharedServer.port();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rest", "shared"})
  void routesBodiesAndErrorsOverH2(String where) throws Exception {
    try (H2Client h2 = new H2Client(port(where))) {
      H2Client.Response get = h2.exchange("GET", "/users/7?ignored=1", null);
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.header("content-type")).isEqualTo("application/json");
      assertThat(get.body())
          .isEqualTo("{\"id\":7,\"name\":\"user-7\",\"birthday\":\"1990-01-02\",\"tags\":[\"a\",\"b\"]}");
      assertThat(h2.exchange("GET", "/users?page=2&tag=t", null).body()).contains("\"id\":2", "[\"t\"]");
      assertThat(h2.exchange("POST", "/users", "{\"name\":\"h2\"}").body()).contains("\"id\":99", "\"h2\"");
      assertThat(h2.exchange("POST", "/demo.Users/greet", "[\"x\",\"y\"]").body()).isEqualTo("\"Hello, x y!\"");
      assertThat(h2.exchange("POST", "/demo.Users/ping", null).body()).isEqualTo("42");
      assertThat(h2.exchange("DELETE", "/users/3", null).status()).isEqualTo(204);

      H2Client.Response missing = h2.exchange("GET", "/users/404", null);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.body()).contains("\"code\":\"NOT_FOUND\"");
      H2Client.Response wrong = h2.exchange("PATCH", "/users/7", "{}");
      assertThat(wrong.status()).isEqualTo(405);
      assertThat(wrong.header("allow")).isEqualTo("DELETE, GET, PUT");
      H2Client.Response malformed = h2.exchange("POST", "/users", "{\"name\" 1}");
      assertThat(malformed.status()).isEqualTo(400);
      assertThat(malformed.body()).contains("line 1, column");
      H2Client.Response text = h2.exchange("POST", "/users", "x", "content-type: text/plain");
      assertThat(text.status()).isEqualTo(415);
      H2Client.Response failed = h2.exchange("POST", "/demo.Users/fail", "[\"UNAVAILABLE\",\"down\"]");
      assertThat(failed.status()).isEqualTo(503);
      assertThat(failed.body()).contains("\"code\":\"UNAVAILABLE\"", "down");
      H2Client.Response refused = h2.exchange("POST", "/demo.Users/refuse", "\"no\"");
      assertThat(refused.header("courier-exception")).isEqualTo(UserResource.NoSuchUserException.class.getName());
      H2Client.Response headers = h2.exchange("POST", "/demo.Users/headers", null, "authorization: Bearer t",
          "x-tenant: acme");
      assertThat(headers.body()).contains("\"authorization\":\"Bearer t\"", "\"x-tenant\":\"acme\"");
      assertThat(headers.header("x-served-by")).isEqualTo("courier");
      H2Client.Response late = h2.exchange("POST", "/demo.Users/slow", "30000", "grpc-timeout: 100m");
      assertThat(late.status()).isEqualTo(504);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rest", "shared"})
  void manyConcurrentStreamsOnOneConnection(String where) throws Exception {
    try (H2Client h2 = new H2Client(port(where))) {
      List<CompletableFuture<H2Client.Response>> calls = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int id = i;
        calls.add(CompletableFuture.supplyAsync(() -> {
          try {
            return h2.exchange("GET", "/users/" + id, null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (int i = 0; i < calls.size(); i++) {
        assertThat(calls.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS).body()).contains("\"id\":" + i + ",");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rest", "shared"})
  void anOversizedBodyIsRefusedAndTheStreamReset(String where) throws Exception {
    try (H2Client h2 = new H2Client(port(where))) {
      H2Client.Stream declared = h2.open();
      declared.channel.writeAndFlush(new DefaultHttp2HeadersFrame(H2Client.headers("POST", "/users",
          "content-type: application/json", "content-length: " + (10 * MAX_BODY)), false));
      H2Client.Response byLength = declared.response();
      assertThat(byLength.status()).isEqualTo(413);
      assertThat(byLength.body()).contains("RESOURCE_EXHAUSTED");

      H2Client.Stream streamed = h2.open();
      streamed.channel.write(new DefaultHttp2HeadersFrame(H2Client.headers("POST", "/users",
          "content-type: application/json"), false));
      for (int i = 0; i < 5; i++) { // 80 KiB without a length: refused once past 64 KiB, the stream is reset
        streamed.channel.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[16 * 1024]), false));
      }
      streamed.channel.flush();
      H2Client.Response byCount = streamed.response();
      assertThat(byCount.status()).isEqualTo(413);
      // the connection serves on
      assertThat(h2.exchange("GET", "/users/1", null).status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rest", "shared"})
  void aResetStreamCancelsItsCall(String where) throws Exception {
    int before = users.sleepers.size();
    try (H2Client h2 = new H2Client(port(where))) {
      H2Client.Stream stream = h2.open();
      stream.channel.write(new DefaultHttp2HeadersFrame(H2Client.headers("POST", "/demo.Users/slow",
          "content-type: application/json"), false));
      stream.channel.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("30000".getBytes()), true));
      Polling.await("the call to start", () -> users.sleepers.size() > before);
      stream.channel.writeAndFlush(new io.netty.handler.codec.http2.DefaultHttp2ResetFrame(Http2Error.CANCEL));
      Polling.await("the server call to be cancelled",
          () -> users.sleepers.get(users.sleepers.size() - 1).isCancelled());
    }
  }

  @Test
  void theSharedPortStillServesGrpcCourierTcpAndHttp1Rest() throws Exception {
    String target = "127.0.0.1:" + sharedServer.port();
    try (RpcClient grpc = RpcClient.builder().transport("http2").serializer("kryo").address(target).build();
        RpcClient tcp = RpcClient.builder().transport("tcp").serializer("kryo").address(target).build();
        RpcClient rest = RpcClient.builder().transport("rest").serializer("json").address(target).build();
        RpcClient restH2 = RpcClient.builder().transport("rest").serializer("json").address(target)
            .option(RestOptions.HTTP2, true).build()) {
      assertThat(grpc.create(EchoService.class).echo("grpc")).isEqualTo("grpc");
      assertThat(grpc.create(UserResource.class).get(5).name()).isEqualTo("user-5");
      assertThat(tcp.create(EchoService.class).echo("tcp")).isEqualTo("tcp");
      assertThat(rest.create(UserResource.class).get(6).name()).isEqualTo("user-6");
      assertThat(rest.create(EchoService.class).add(1, 2)).isEqualTo(3);
      assertThat(restH2.create(UserResource.class).list(4, List.of("q"), null).get(0).tags()).containsExactly("q");
    }
    try (RawHttp http = new RawHttp(sharedServer.port())) {
      assertThat(http.exchange("GET", "/users/8", null).body()).contains("\"id\":8");
      assertThat(http.exchange("POST", "/courier.testing.EchoService/echo", "\"hi\"").body()).isEqualTo("\"hi\"");
    }
  }

  /**
   * A REST hook on an {@code http2} port that refuses an h2 request's content type (returns no receiver) gets a 415
   * whose body names what was refused and what the port takes — gRPC's content types and REST's — and one whose hook
   * fails on a request gets a 500, not a 415.
   */
  @Test
  void aRequestTheRestHookRefusesOverH2Gets415NamingWhatThePortAccepts() throws Exception {
    RestBinding rest = new RestBinding();
    Http1Handler picky = new Http1Handler() {
      @Override
      public void install(Channel channel, ServerCallHandler calls, TransportContext context) {
        rest.install(channel, calls, context);
      }

      @Override
      public void start(ServerCallHandler calls, TransportContext context) {
        rest.start(calls, context);
      }

      @Override
      public HttpExchange.Receiver http2Request(HttpExchange exchange, ServerCallHandler calls,
          TransportContext context) {
        String type = exchange.request().headers().get("content-type");
        if ("application/xml".equals(type)) {
          return null; // not a content type this hook takes
        }
        if ("application/fail".equals(type)) {
          throw new IllegalStateException("the hook failed");
        }
        return rest.http2Request(exchange, calls, context);
      }

      @Override
      public String http2ContentTypes() {
        return rest.http2ContentTypes();
      }
    };
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").listen("http2", 0).service(UserResource.class, users)
        .option(Http2Options.HTTP1_HANDLER, picky).build().start();
        H2Client h2 = new H2Client(server.port())) {
      H2Client.Response xml = h2.exchange("POST", "/users", "<user/>", "content-type: application/xml");
      assertThat(xml.status()).isEqualTo(415);
      assertThat(xml.header("content-type")).startsWith("text/plain");
      assertThat(xml.body()).contains("content-type 'application/xml' is not supported",
          "application/grpc, application/grpc+proto or application/grpc+<serializer> for gRPC",
          "application/json (or application/*+json) for REST");

      H2Client.Response failed = h2.exchange("POST", "/users", "{}", "content-type: application/fail");
      assertThat(failed.status()).isEqualTo(500);
      assertThat(failed.body()).contains("the server failed to take POST /users");

      assertThat(h2.exchange("GET", "/users/7", null).status()).as("the hook serves the rest").isEqualTo(200);
    }
  }

  /** A route that cannot be served. */
  @RpcService(name = "demo.Broken")
  interface Broken {
    @RestRoute(method = "GET", path = "/broken/{id}")
    String get(String id);
  }

  /** Another. */
  @RpcService(name = "demo.Unbound")
  interface Unbound {
    @RestRoute(method = "PUT", path = "/unbound/{id}")
    String put(String id);
  }

  @Test
  void aBadRouteFailsTheServerStartOnEitherListener() {
    Broken impl = id -> id;
    Unbound unbound = id -> id;
    assertThatThrownBy(() -> RpcServer.builder().host("127.0.0.1").listen("rest", 0).service(Unbound.class, unbound)
        .build().start()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unbound.put has path variable {id}").hasMessageContaining("@PathParam(\"id\")");
    assertThatThrownBy(() -> RpcServer.builder().host("127.0.0.1").listen("http2", 0).service(Broken.class, impl)
        .option(Http2Options.HTTP1_HANDLER, new RestBinding()).build().start())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET route with body parameters");
  }
}
