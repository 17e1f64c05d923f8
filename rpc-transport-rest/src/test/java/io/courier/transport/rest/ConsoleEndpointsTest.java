package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.auth.AccessPolicy;
import io.courier.auth.BearerAuth;
import io.courier.client.RpcClient;
import io.courier.console.ConsoleOptions;
import io.courier.server.RpcServer;
import io.courier.testing.Polling;
import io.courier.transport.http2.Http2Options;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's JSON endpoints ({@code docs/console.md}) over real HTTP on a {@code rest} listener and an
 * {@code http2} port with the REST binding: off by default, admitted like calls, try-it through generic invocation,
 * figures after calls, and the refusals (address, authentication, method, content type, size).
 */
class ConsoleEndpointsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOKEN = "authorization: Bearer ops-token";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private RpcServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static RpcServer.Builder rest() {
    return RpcServer.builder().host("127.0.0.1").listen("rest", 0)
        .service(UserResource.class, new UserResource.Impl());
  }

  private static RpcServer.Builder secured(RpcServer.Builder builder) {
    return builder.interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("ops-token", "ops",
        "app-token", "app"))));
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(10)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    for (String header : headers) {
      int colon = header.indexOf(':');
      request.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, null, headers);
  }

  private HttpResponse<String> call(String query, String body, String... headers) throws Exception {
    String[] all = new String[headers.length + 1];
    all[0] = "content-type: application/json";
    System.arraycopy(headers, 0, all, 1, headers.length);
    return send("POST", "/courier/console/api/call?" + query, body, all);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  private static Map<String, Object> parse(HttpResponse<String> response) {
    return map(JSON.readValue(response.body(), Map.class));
  }

  @Test
  void offUnlessEnabled() throws Exception {
    server = rest().build().start();
    assertThat(get("/courier/console/").statusCode()).isEqualTo(404);
    assertThat(get("/courier/console/api/server").statusCode()).isEqualTo(404);
    assertThat(server.console()).isNull();
  }

  @Test
  void thePageIsServedFromTheJarWithAStrictContentSecurityPolicy() throws Exception {
    server = rest().console(ConsoleOptions.builder().build()).build().start();
    HttpResponse<String> base = get("/courier/console");
    assertThat(base.statusCode()).isEqualTo(308);
    assertThat(base.headers().firstValue("location")).hasValue("console/");
    HttpResponse<String> page = get("/courier/console/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp -> assertThat(csp)
        .contains("default-src 'self'").contains("script-src 'self'").doesNotContain("unsafe"));
    assertThat(page.body()).contains("console.js").doesNotContain("http://").doesNotContain("https://");
    assertThat(get("/courier/console/console.js").headers().firstValue("content-type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(get("/courier/console/console.css").statusCode()).isEqualTo(200);
    assertThat(send("POST", "/courier/console/", "", "content-type: application/json").statusCode()).isEqualTo(405);
  }

  @Test
  void aRequestRelayedByAProxyOnThisHostIsNoLoopbackCallers() throws Exception {
    server = secured(rest()).console(ConsoleOptions.builder().build()).build().start();
    assertThat(get("/courier/console/api/server", TOKEN).statusCode()).isEqualTo(200);
    // a proxy on this host connects from loopback for callers anywhere, and says so in a header
    HttpResponse<String> relayed = get("/courier/console/api/server", TOKEN, "x-forwarded-for: 127.0.0.1");
    assertThat(relayed.statusCode()).isEqualTo(403);
    assertThat(relayed.body()).contains("loopback callers only").contains("relayed by a proxy");
    assertThat(get("/courier/console/", "forwarded: for=127.0.0.1").statusCode()).as("the page too").isEqualTo(403);
    assertThat(get("/courier/console/api/server", TOKEN, "x-forwarded-proto: https").statusCode()).isEqualTo(403);
    // a header value metadata cannot hold (a tab) is left out of the metadata: the relay must still be seen
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(("GET /courier/console/api/server HTTP/1.1\r\nhost: 127.0.0.1\r\n"
          + TOKEN + "\r\nx-forwarded-for: 127.0.0.1,\t10.0.0.9\r\nconnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      socket.setSoTimeout(10_000);
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(response).startsWith("HTTP/1.1 403").contains("loopback callers only");
    }
  }

  @Test
  void remoteCallersNeedAServerThatCanAuthenticateThem() {
    assertThatThrownBy(() -> rest().console(ConsoleOptions.builder().allowRemote(true).build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowRemote(true) on a server without any interceptor")
        .hasMessageContaining("BearerAuth.server");
    assertThat(secured(rest()).console(ConsoleOptions.builder().allowRemote(true).build()).build()).isNotNull();
  }

  @Test
  void serverStateServicesAndProvidersWithoutARegistry() throws Exception {
    server = secured(rest()).console(ConsoleOptions.builder().build()).build().start();

    HttpResponse<String> response = get("/courier/console/api/server", TOKEN);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    Map<String, Object> state = parse(response);
    assertThat(state).containsEntry("state", "RUNNING").containsEntry("registered", false)
        .containsEntry("registry", null).containsEntry("inFlight", 0);
    assertThat(map(state.get("addresses"))).containsEntry("rest", "127.0.0.1:" + server.port());
    // no registry: offline and online cannot be taken; an authenticated caller may try and drain
    assertThat(map(state.get("actions"))).containsEntry("call", true).containsEntry("offline", false)
        .containsEntry("online", false).containsEntry("drain", true);

    Map<String, Object> services = parse(get("/courier/console/api/services", TOKEN));
    Map<String, Object> users = map(list(services.get("services")).get(0));
    assertThat(users).containsEntry("name", "demo.Users");
    Map<String, Object> getMethod = list(users.get("methods")).stream().map(ConsoleEndpointsTest::map)
        .filter(m -> m.get("name").equals("get")).findFirst().orElseThrow();
    assertThat(getMethod).containsEntry("rest", Map.of("method", "GET", "path", "/users/{id}"));

    Map<String, Object> providers = parse(get("/courier/console/api/providers", TOKEN));
    Map<String, Object> entry = map(list(providers.get("services")).get(0));
    assertThat(entry).containsEntry("service", "demo.Users");
    Map<String, Object> self = map(list(entry.get("providers")).get(0));
    assertThat(self).containsEntry("self", true).containsEntry("health", "UNKNOWN")
        .containsEntry("ports", Map.of("rest", server.port()));

    assertThat(send("POST", "/courier/console/api/offline", null, TOKEN).statusCode()).isEqualTo(400);
  }

  @Test
  void readingIsAdmittedLikeACall() throws Exception {
    server = secured(rest()).interceptor(AccessPolicy.builder().allow("courier.Console/read", "ops")
        .allowAnyAuthenticated("demo.Users/*").build()).console(ConsoleOptions.builder().build()).build().start();

    HttpResponse<String> anonymous = get("/courier/console/api/metrics");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(parse(anonymous)).containsEntry("code", "UNAUTHENTICATED");
    HttpResponse<String> app = get("/courier/console/api/metrics", "authorization: Bearer app-token");
    assertThat(app.statusCode()).isEqualTo(403);
    assertThat(parse(app).get("message").toString()).contains("courier.Console/read");
    assertThat(get("/courier/console/api/metrics", TOKEN).statusCode()).isEqualTo(200);
    // no rule for courier.Console/call: the ops caller may read, not try
    HttpResponse<String> tryIt = call("service=demo.Users&method=ping", "[]", TOKEN);
    assertThat(tryIt.statusCode()).isEqualTo(403);
    assertThat(parse(tryIt).get("message").toString()).contains("courier.Console/call");
    assertThat(map(parse(get("/courier/console/api/server", TOKEN)).get("actions")))
        .containsEntry("call", false).containsEntry("drain", false);
  }

  @Test
  void aRefusedCallerIsAnsweredOnTheHeadBeforeItsBodyArrives() throws Exception {
    server = secured(rest()).console(ConsoleOptions.builder().build()).build().start();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      // a head that announces 60,000 bytes of arguments, and no byte of them
      socket.getOutputStream().write(("POST /courier/console/api/call?service=demo.Users&method=ping HTTP/1.1\r\n"
          + "host: localhost\r\ncontent-type: application/json\r\ncontent-length: 60000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("HTTP/1.1 401");
    }
  }

  @Test
  void actionsNeedAnAuthenticatedCaller() throws Exception {
    server = rest().console(ConsoleOptions.builder().build()).build().start();
    assertThat(get("/courier/console/api/server").statusCode()).isEqualTo(200); // no BearerAuth: reading is open
    HttpResponse<String> tryIt = call("service=demo.Users&method=ping", "[]");
    assertThat(tryIt.statusCode()).isEqualTo(403);
    assertThat(parse(tryIt).get("message").toString()).contains("needs an authenticated caller");
    HttpResponse<String> drain = send("POST", "/courier/console/api/drain", null);
    assertThat(drain.statusCode()).isEqualTo(403);
    assertThat(server.inFlightCalls()).isZero();
    assertThat(parse(get("/courier/console/api/server")).get("state")).isEqualTo("RUNNING");
  }

  @Test
  void tryItCallsThroughGenericInvocation() throws Exception {
    server = secured(rest()).console(ConsoleOptions.builder().build()).build().start();

    HttpResponse<String> ok = call("service=demo.Users&method=greet", "[\"Ada\", \"Lovelace\"]", TOKEN);
    assertThat(ok.statusCode()).isEqualTo(200);
    Map<String, Object> answer = parse(ok);
    assertThat(answer).containsEntry("status", "OK").containsEntry("result", "Hello, Ada Lovelace!");
    assertThat((Double) answer.get("latencyMs")).isPositive();
    assertThat(map(answer.get("headers"))).containsEntry("courier-generic", "1")
        .containsEntry("authorization", "Bearer …(redacted)").containsEntry("timeout", "5000ms");
    assertThat(ok.body()).doesNotContain("ops-token");

    Map<String, Object> user = map(parse(call("service=demo.Users&method=get", "[7]", TOKEN)).get("result"));
    assertThat(user).containsEntry("id", 7);

    Map<String, Object> unknown = parse(call("service=demo.Users&method=nope", "[]", TOKEN));
    assertThat(unknown).containsEntry("status", "UNIMPLEMENTED");
    assertThat(unknown.get("description").toString()).contains("nope");
    Map<String, Object> wrongShape = parse(call("service=demo.Users&method=get", "[\"seven\"]", TOKEN));
    assertThat(wrongShape).containsEntry("status", "INVALID_ARGUMENT");
    Map<String, Object> thrown = parse(call("service=demo.Users&method=refuse", "[\"no\"]", TOKEN));
    assertThat(thrown).containsEntry("status", "UNKNOWN");
    assertThat(map(thrown.get("trailers")).values()).anySatisfy(v -> assertThat(v.toString())
        .contains("NoSuchUserException"));
    Map<String, Object> notFound = parse(call("service=demo.Users&method=get", "[404]", TOKEN));
    assertThat(notFound).containsEntry("status", "NOT_FOUND").containsEntry("description", "no user 404");
  }

  @Test
  void tryItCallsCarryTheCallersToken() throws Exception {
    server = secured(rest()).interceptor(AccessPolicy.builder().allow("courier.Console/*", "ops")
        .allow("demo.Users/ping", "app").build()).console(ConsoleOptions.builder().build()).build().start();
    // the console lets ops try; the service's own rule refuses ops, so the call does
    Map<String, Object> refused = parse(call("service=demo.Users&method=ping", "[]", TOKEN));
    assertThat(refused).containsEntry("status", "PERMISSION_DENIED");
    assertThat(refused.get("description").toString()).contains("'ops'").contains("demo.Users/ping");
  }

  @Test
  void tryItRefusesBadRequests() throws Exception {
    server = secured(rest()).console(ConsoleOptions.builder().build()).build().start();
    assertThat(call("service=no.Such&method=ping", "[]", TOKEN).statusCode()).isEqualTo(404);
    assertThat(call("method=ping", "[]", TOKEN).statusCode()).isEqualTo(400);
    assertThat(call("service=demo.Users&method=ping&timeoutMs=soon", "[]", TOKEN).statusCode()).isEqualTo(400);
    assertThat(call("service=demo.Users&method=ping&timeoutMs=600000", "[]", TOKEN).statusCode()).isEqualTo(400);
    assertThat(send("POST", "/courier/console/api/call?service=demo.Users&method=ping", "[]", TOKEN,
        "content-type: text/plain").statusCode()).isEqualTo(415);
    assertThat(send("GET", "/courier/console/api/call?service=demo.Users&method=ping", null, TOKEN).statusCode())
        .isEqualTo(405);
    HttpResponse<String> tooLarge = call("service=demo.Users&method=greet", "[\"" + "a".repeat(70_000) + "\"]",
        TOKEN);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(get("/courier/console/api/nothing", TOKEN).statusCode()).isEqualTo(404);
    assertThat(send("POST", "/courier/console/api/metrics", "", TOKEN).statusCode()).isEqualTo(405);
    // the server serves on
    assertThat(parse(call("service=demo.Users&method=ping", "[]", TOKEN))).containsEntry("status", "OK");
  }

  @Test
  void figuresAfterCalls() throws Exception {
    server = secured(rest()).console(ConsoleOptions.builder().build()).build().start();
    try (RpcClient client = RpcClient.builder().transport("rest").address("127.0.0.1:" + server.port())
        .interceptor(BearerAuth.client(() -> "ops-token")).build()) {
      UserResource users = client.create(UserResource.class);
      for (int i = 0; i < 5; i++) {
        users.greet("a", "b");
      }
      assertThatThrownBy(() -> users.fail("NOT_FOUND", "gone")).hasMessageContaining("gone");
    }
    // a second's bucket closes on the next second's tick
    Polling.await("the calls in the figures' buckets", () -> bucketed(methodFigures("greet")) == 5);
    Map<String, Object> greet = methodFigures("greet");
    assertThat(greet).containsEntry("calls", 5).containsEntry("inFlight", 0);
    assertThat(list(greet.get("series"))).hasSize(60);
    assertThat(list(greet.get("series")).stream().mapToLong(b -> ((Number) map(b).get("calls")).longValue()).sum())
        .isEqualTo(5);
    Map<String, Object> lastMinute = map(greet.get("lastMinute"));
    assertThat(((Number) lastMinute.get("p99Ms")).doubleValue()).isPositive();
    assertThat(((Number) lastMinute.get("p50Ms")).doubleValue())
        .isLessThanOrEqualTo(((Number) lastMinute.get("p99Ms")).doubleValue());
    Map<String, Object> fail = methodFigures("fail");
    assertThat(map(fail.get("errors"))).containsEntry("NOT_FOUND", 1);
  }

  private static long bucketed(Map<String, Object> figures) {
    return list(figures.get("series")).stream().mapToLong(b -> ((Number) map(b).get("calls")).longValue()).sum();
  }

  private Map<String, Object> methodFigures(String method) {
    try {
      return methodFiguresOrThrow(method);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Object> methodFiguresOrThrow(String method) throws Exception {
    return list(parse(get("/courier/console/api/metrics", TOKEN)).get("methods")).stream()
        .map(ConsoleEndpointsTest::map).filter(m -> m.get("method").equals(method)).findFirst().orElseThrow();
  }

  @Test
  void servedOnAnHttp2PortWithTheRestBinding() throws Exception {
    server = secured(RpcServer.builder().host("127.0.0.1").listen("http2", 0)
        .option(Http2Options.HTTP1_HANDLER, new RestBinding()).service(UserResource.class, new UserResource.Impl()))
        .console(ConsoleOptions.builder().build()).build().start();
    assertThat(parse(get("/courier/console/api/server", TOKEN))).containsEntry("state", "RUNNING");
    // try-it goes over the first listener: gRPC on the same port
    assertThat(parse(call("service=demo.Users&method=greet", "[\"a\", \"b\"]", TOKEN)))
        .containsEntry("status", "OK").containsEntry("result", "Hello, a b!");
  }

  @Test
  void aServerWithoutAListenerThatServesRestDoesNotStart() {
    assertThatThrownBy(() -> RpcServer.builder().host("127.0.0.1").listen("tcp", 0)
        .service(UserResource.class, new UserResource.Impl()).console(ConsoleOptions.builder().build()).build()
        .start()).isInstanceOf(IllegalStateException.class).hasMessageContaining("serves REST")
        .hasMessageContaining("servedByApplication");
    assertThatThrownBy(() -> RpcServer.builder().host("127.0.0.1").listen("http2", 0)
        .service(UserResource.class, new UserResource.Impl()).console(ConsoleOptions.builder().build()).build()
        .start()).isInstanceOf(IllegalStateException.class).hasMessageContaining("RestBinding");
  }

  @Test
  void aConsoleTheApplicationServesIsNotServedByTheListeners() throws Exception {
    server = secured(rest()).console(ConsoleOptions.builder().servedByApplication(true).build()).build().start();
    assertThat(get("/courier/console/api/server", TOKEN).statusCode()).isEqualTo(404); // routed as any other path
    assertThat(server.console()).isNotNull(); // for the application to serve
  }

  @Test
  void drainShutsTheServerDown() throws Exception {
    server = secured(rest()).console(ConsoleOptions.builder().build()).build().start();
    HttpResponse<String> drain = send("POST", "/courier/console/api/drain", null, TOKEN);
    assertThat(drain.statusCode()).isEqualTo(200);
    assertThat(parse(drain)).containsEntry("state", "SHUTTING_DOWN");
    server.shutdown(Duration.ZERO).get(); // the same shutdown: completes when the drain is done
    assertThat(server.console()).isNotNull();
  }
}
