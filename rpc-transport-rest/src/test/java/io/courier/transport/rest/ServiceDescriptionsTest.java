package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.auth.AccessPolicy;
import io.courier.auth.BearerAuth;
import io.courier.server.RpcServer;
import io.courier.testing.ProtoEchoService;
import io.courier.transport.http2.Http1Handler;
import io.courier.transport.http2.Http2Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service description endpoint ({@link RestOptions#DESCRIBE_SERVICES}) over real HTTP/1.1 and h2: the JSON of
 * every exported service and of one, off by default, admitted like a call, and the 404 and 405 answers.
 */
class ServiceDescriptionsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private RpcServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private RpcServer.Builder rest() {
    return RpcServer.builder().host("127.0.0.1").listen("rest", 0)
        .service(UserResource.class, new UserResource.Impl())
        .service(Catalog.class, new Catalog.Impl())
        .service(ProtoEchoService.class, new ProtoEchoService.Impl());
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
    for (String header : headers) {
      int colon = header.indexOf(':');
      request.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  private static Map<String, Object> parse(String json) {
    return map(JSON.readValue(json, Map.class));
  }

  private static Map<String, Object> method(Map<String, Object> service, String name) {
    return list(service.get("methods")).stream().map(ServiceDescriptionsTest::map)
        .filter(m -> m.get("name").equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyServiceAsJsonOverHttp1() throws Exception {
    server = rest().option(RestOptions.DESCRIBE_SERVICES, true).build().start();
    HttpResponse<String> response = get("/courier/services");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    List<Object> services = list(parse(response.body()).get("services"));
    assertThat(services).extracting(s -> map(s).get("name"))
        .containsExactly("demo.Users", "demo.Catalog", "courier.testing.ProtoEchoService");

    Map<String, Object> catalog = map(services.get(1));
    assertThat(catalog).containsEntry("version", "3").containsEntry("group", "green");
    Map<String, Object> item = method(catalog, "item");
    assertThat(item).containsEntry("kind", "UNARY").containsEntry("oneWay", false)
        .containsEntry("rest", Map.of("method", "POST", "path", "/demo.Catalog/item"))
        .containsEntry("exampleArguments", List.of("string"));
    assertThat(list(item.get("arguments"))).extracting(a -> map(a).get("name")).containsExactly("sku");
    // a recursive type: the result refers to its definition, which refers to itself
    Map<String, Object> result = map(item.get("result"));
    assertThat(result).containsEntry("$ref", "#/$defs/Item");
    assertThat(map(map(map(map(result.get("$defs")).get("Item")).get("properties")).get("parent")))
        .isEqualTo(Map.of("$ref", "#/$defs/Item"));
    Map<String, Object> watch = method(catalog, "watch");
    assertThat(watch).containsEntry("kind", "SERVER_STREAMING").doesNotContainKey("rest");

    Map<String, Object> users = map(services.get(0));
    assertThat(users).containsEntry("version", "").containsEntry("group", "");
    assertThat(method(users, "get")).containsEntry("rest", Map.of("method", "GET", "path", "/users/{id}"))
        .containsEntry("idempotent", false);
    assertThat(method(users, "greet")).containsEntry("rest", Map.of("method", "POST", "path", "/demo.Users/greet"))
        .containsEntry("exampleArguments", List.of("string", "string"));
    assertThat(list(method(users, "greet").get("arguments"))).extracting(a -> map(a).get("name"))
        .containsExactly("first", "last");
    assertThat(method(users, "notify")).containsEntry("oneWay", true);

    // a protobuf message, described from its descriptor by the protobuf serializer's provider
    Map<String, Object> echo = method(map(services.get(2)), "echo");
    Map<String, Object> request = map(map(list(echo.get("arguments")).get(0)).get("schema"));
    Map<String, Object> message = map(map(request.get("$defs")).get("courier.testing.EchoRequest"));
    assertThat(map(message.get("properties")).keySet()).containsExactly("message", "payload", "numbers",
        "sleepMillis");
    assertThat(list(echo.get("exampleArguments")).get(0)).isEqualTo(Map.of("message", "string", "payload", "",
        "numbers", List.of(0), "sleepMillis", 0));
  }

  @Test
  void oneServiceByNameAndA404NamingAnUnknownOne() throws Exception {
    server = rest().option(RestOptions.DESCRIBE_SERVICES, true).build().start();
    HttpResponse<String> one = get("/courier/services/demo.Catalog");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(parse(one.body())).containsEntry("name", "demo.Catalog").containsEntry("version", "3");

    HttpResponse<String> unknown = get("/courier/services/no.Such");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(unknown.body()).contains("unknown service no.Such (expected: one of demo.Users, demo.Catalog, "
        + "courier.testing.ProtoEchoService)");
  }

  @Test
  void otherMethodsAre405AndOrdinaryRoutesStillWork() throws Exception {
    server = rest().option(RestOptions.DESCRIBE_SERVICES, true).build().start();
    HttpResponse<String> post = send("POST", "/courier/services");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET");
    assertThat(get("/users/5").statusCode()).isEqualTo(200);
    assertThat(send("PATCH", "/users/5").statusCode()).isEqualTo(405);
    assertThat(get("/courier/other").statusCode()).isEqualTo(404);
  }

  @Test
  void offByDefault() throws Exception {
    server = rest().build().start();
    HttpResponse<String> response = get("/courier/services");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("no route for GET /courier/services");
    assertThat(get("/courier/services/demo.Users").statusCode()).isEqualTo(404);
  }

  @Test
  void admittedLikeACall() throws Exception {
    server = rest().option(RestOptions.DESCRIBE_SERVICES, true)
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("t0ken", "ops", "other", "frontend"))))
        .interceptor(AccessPolicy.builder().allow("courier.Describe/*", "ops").allow("demo.Users/*", "frontend")
            .build())
        .build().start();
    HttpResponse<String> anonymous = get("/courier/services");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(get("/courier/services/no.Such").statusCode()).as("before the 404").isEqualTo(401);
    assertThat(send("POST", "/courier/services").statusCode()).as("before the 405").isEqualTo(401);
    HttpResponse<String> denied = get("/courier/services", "Authorization: Bearer other");
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("caller 'frontend' may not call courier.Describe/list");
    assertThat(get("/courier/services/demo.Users", "Authorization: Bearer other").statusCode()).isEqualTo(403);
    HttpResponse<String> allowed = get("/courier/services", "Authorization: Bearer t0ken");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(list(parse(allowed.body()).get("services"))).hasSize(3);
    assertThat(get("/courier/services/demo.Users", "Authorization: Bearer t0ken").statusCode()).isEqualTo(200);
  }

  @Test
  void overH2OnTheRestListenerAndOnAnHttp2PortWithTheBinding() throws Exception {
    server = rest().option(RestOptions.DESCRIBE_SERVICES, true).build().start();
    try (H2Client h2 = new H2Client(server.port())) {
      H2Client.Response response = h2.exchange("GET", "/courier/services/demo.Users", null);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("content-type")).isEqualTo("application/json");
      assertThat(parse(response.body())).containsEntry("name", "demo.Users");
      assertThat(h2.exchange("GET", "/courier/services/no.Such", null).status()).isEqualTo(404);
    }
    server.close();
    server = RpcServer.builder().host("127.0.0.1").listen("http2", 0)
        .service(UserResource.class, new UserResource.Impl())
        .option(Http2Options.HTTP1_HANDLER, new RestBinding()).option(RestOptions.DESCRIBE_SERVICES, true)
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("t0ken", "ops"))))
        .build().start();
    try (H2Client h2 = new H2Client(server.port())) {
      assertThat(h2.exchange("GET", "/courier/services", null).status()).isEqualTo(401);
      H2Client.Response response = h2.exchange("GET", "/courier/services", null, "authorization: Bearer t0ken");
      assertThat(response.status()).isEqualTo(200);
      assertThat(list(parse(response.body()).get("services"))).extracting(s -> map(s).get("name"))
          .containsExactly("demo.Users");
    }
    HttpResponse<String> overHttp1 = get("/courier/services/demo.Users", "Authorization: Bearer t0ken");
    assertThat(overHttp1.statusCode()).isEqualTo(200);
    assertThat(parse(overHttp1.body())).containsEntry("name", "demo.Users");
  }

  @Test
  void anHttp2ListenerWithoutTheBindingRefusesTheOption() {
    assertThatThrownBy(() -> RpcServer.builder().host("127.0.0.1").listen("http2", 0)
        .service(UserResource.class, new UserResource.Impl()).option(RestOptions.DESCRIBE_SERVICES, true)
        .build().start())
        .hasStackTraceContaining("rest.describeServices is set on an http2 listener that serves no HTTP requests");
  }

  /** A hook of the application's own serves no REST, so nothing would serve the descriptions: the start fails. */
  @Test
  void anHttp2ListenerWithAnotherHttpHookRefusesTheOption() {
    Http1Handler http1Only = (channel, calls, context) -> channel.close();
    assertThatThrownBy(() -> RpcServer.builder().host("127.0.0.1").listen("http2", 0)
        .service(UserResource.class, new UserResource.Impl()).option(Http2Options.HTTP1_HANDLER, http1Only)
        .option(RestOptions.DESCRIBE_SERVICES, true).build().start())
        .hasStackTraceContaining("rest.describeServices is set on an http2 listener whose Http2Options.HTTP1_HANDLER")
        .hasStackTraceContaining("serves no REST")
        .hasStackTraceContaining(".option(Http2Options.HTTP1_HANDLER, new RestBinding())");
  }
}
