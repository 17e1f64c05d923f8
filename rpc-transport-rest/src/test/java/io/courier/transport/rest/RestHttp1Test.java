package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.StatusCode;
import io.courier.server.RpcServer;
import io.courier.testing.Polling;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The REST binding over raw HTTP/1.1, byte for byte as curl would send it, against a {@code rest} listener: routes,
 * path and query parameters, bodies, every error mapping, limits, pipelining and keep-alive. After each test a
 * well-behaved request on a fresh connection is still served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestHttp1Test {

  private static final int MAX_BODY = 64 * 1024;

  private final UserResource.Impl users = new UserResource.Impl();
  private RpcServer server;

  @BeforeAll
  void start() {
    server = RpcServer.builder().host("127.0.0.1").listen("rest", 0).service(UserResource.class, users)
        .option(RestOptions.MAX_BODY_SIZE, MAX_BODY).build().start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @AfterEach
  void stillServing() throws Exception {
    users.wake.countDown();
    users.wake = new java.util.concurrent.CountDownLatch(1);
    try (RawHttp http = connect()) {
      assertThat(http.exchange("POST", "/demo.Users/ping", null).body()).isEqualTo("42");
    }
  }

  private RawHttp connect() throws Exception {
    return new RawHttp(server.port());
  }

  @Test
  void connectionsOverTheServersLimitAreClosedOnAccept() throws Exception {
    try (RpcServer small = RpcServer.builder().host("127.0.0.1").listen("rest", 0)
        .service(UserResource.class, new UserResource.Impl()).option(RestOptions.MAX_CONNECTIONS, 2).build().start()) {
      try (RawHttp first = new RawHttp(small.port()); RawHttp second = new RawHttp(small.port())) {
        // an answer proves the server has set the connection up and counted it
        assertThat(first.exchange("POST", "/demo.Users/ping", null).body()).isEqualTo("42");
        assertThat(second.exchange("POST", "/demo.Users/ping", null).body()).isEqualTo("42");
        try (RawHttp third = new RawHttp(small.port())) {
          assertThat(third.closedByServer()).isTrue();
        }
        assertThat(first.exchange("POST", "/demo.Users/ping", null).body()).isEqualTo("42"); // still served
      }
      Polling.await("room for a new connection once the others closed", () -> {
        try (RawHttp again = new RawHttp(small.port())) {
          return "42".equals(again.exchange("POST", "/demo.Users/ping", null).body());
        } catch (java.io.IOException e) {
          return false;
        }
      });
    }
  }

  /**
   * A generic call as curl sends it ({@code curl -H 'courier-generic: 1' --json '[7]' .../demo.Users/get}): every
   * method by service and method name, every argument in one JSON array, whatever the method's route.
   */
  @Test
  void aGenericCallIsAPostOfEveryArgumentInOneArray() throws Exception {
    try (RawHttp http = connect()) {
      RawHttp.Response get = http.exchange("POST", "/demo.Users/get", "[7]", "courier-generic: 1");
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.body())
          .isEqualTo("{\"id\":7,\"name\":\"user-7\",\"birthday\":\"1990-01-02\",\"tags\":[\"a\",\"b\"]}");
      assertThat(http.exchange("POST", "/demo.Users/sum", "[[1,2,3]]", "courier-generic: 1").body())
          .as("a single array argument is wrapped like any other").isEqualTo("6");
      assertThat(http.exchange("POST", "/demo.Users/greet", "[\"Ada\",\"Lovelace\"]", "courier-generic: 1").body())
          .contains("Ada").contains("Lovelace");
      assertThat(http.exchange("POST", "/demo.Users/ping", null, "courier-generic: 1").body()).isEqualTo("42");
      assertThat(http.exchange("POST", "/demo.Users/ping", "[]", "courier-generic: 1").body()).isEqualTo("42");
      RawHttp.Response deleted = http.exchange("POST", "/demo.Users/delete", "[6]", "courier-generic: 1");
      assertThat(deleted.status()).isEqualTo(204);

      RawHttp.Response few = http.exchange("POST", "/demo.Users/greet", "[\"Ada\"]", "courier-generic: 1");
      assertThat(few.status()).isEqualTo(400);
      assertThat(few.body()).contains("INVALID_ARGUMENT")
          .contains("(expected: a JSON array of 2 values: first (String), last (String))");
      RawHttp.Response unknown = http.exchange("POST", "/demo.Users/nope", "[]", "courier-generic: 1");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.body()).contains("unknown method nope of service demo.Users");
      RawHttp.Response notPost = http.exchange("GET", "/demo.Users/get", null, "courier-generic: 1");
      assertThat(notPost.status()).isEqualTo(405);
      assertThat(notPost.header("allow")).isEqualTo("POST");
      assertThat(http.exchange("POST", "/demo.Users/get", "[7]").status())
          .as("without the header, a routed method has no default route").isEqualTo(404);
      RawHttp.Response preflight = http.exchange("OPTIONS", "/demo.Users/get", null, "Origin: http://elsewhere.example",
          "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: courier-generic, content-type");
      assertThat(preflight.status()).as("a browser's CORS preflight is not granted").isGreaterThanOrEqualTo(400);
      assertThat(preflight.header("access-control-allow-origin")).isNull();
    }
  }

  @Test
  void resourceRoutesWithPathAndQueryParameters() throws Exception {
    try (RawHttp http = connect()) {
      RawHttp.Response get = http.exchange("GET", "/users/7", null);
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.header("content-type")).isEqualTo("application/json");
      assertThat(get.body())
          .isEqualTo("{\"id\":7,\"name\":\"user-7\",\"birthday\":\"1990-01-02\",\"tags\":[\"a\",\"b\"]}");

      assertThat(http.exchange("GET", "/users/me", null).body()).contains("\"name\":\"me\""); // a literal beats {id}
      assertThat(http.exchange("GET", "/users/7/", null).body()).contains("\"id\":7"); // a trailing slash is ignored

      RawHttp.Response list = http.exchange("GET", "/users?page=3&tag=x&tag=y%20z&since=2026-11-22", null);
      assertThat(list.body()).isEqualTo("[{\"id\":3,\"name\":\"page-3\",\"birthday\":\"2026-11-22\","
          + "\"tags\":[\"x\",\"y z\"]}]");
      assertThat(http.exchange("GET", "/users?page=1", null).body()).contains("\"tags\":[]", "\"birthday\":null");

      RawHttp.Response created = http.exchange("POST", "/users",
          "{\"name\":\"Zoë\",\"birthday\":\"2001-02-03\",\"tags\":[\"new\"],\"unknown\":1}");
      assertThat(created.status()).isEqualTo(200);
      assertThat(created.body())
          .isEqualTo("{\"id\":99,\"name\":\"Zoë\",\"birthday\":\"2001-02-03\",\"tags\":[\"new\"]}");

      assertThat(http.exchange("PUT", "/users/5", "{\"name\":\"five\"}").body()).contains("\"id\":5", "five");

      RawHttp.Response deleted = http.exchange("DELETE", "/users/6", null);
      assertThat(deleted.status()).isEqualTo(204);
      assertThat(deleted.body()).isEmpty();
      assertThat(users.deleted).containsKey(6L);

      assertThat(http.exchange("GET", "/files/a%20b%2Fc+d", null).body()).isEqualTo("\"file:a b/c+d\"");
      assertThat(http.exchange("GET", "/kinds/ADMIN?flag=true", null).body()).isEqualTo("\"ADMIN/true\"");
      assertThat(http.exchange("GET", "/kinds/GUEST", null).body()).isEqualTo("\"GUEST/null\"");
    }
  }

  @Test
  void defaultRoutesTakeTheArgumentsAsTheBody() throws Exception {
    try (RawHttp http = connect()) {
      // one parameter: the body is its value, even when that value is an array
      assertThat(http.exchange("POST", "/demo.Users/sum", "[1, 2, 3]").body()).isEqualTo("6");
      // several: a JSON array of them
      assertThat(http.exchange("POST", "/demo.Users/greet", "[\"Ada\", \"Lovelace\"]").body())
          .isEqualTo("\"Hello, Ada Lovelace!\"");
      // none: no body, or []
      assertThat(http.exchange("POST", "/demo.Users/ping", null).body()).isEqualTo("42");
      assertThat(http.exchange("POST", "/demo.Users/ping", "[]").body()).isEqualTo("42");
      // a one-way method answers once it ran
      assertThat(http.exchange("POST", "/demo.Users/notify", "\"ding\"").status()).isEqualTo(204);
      assertThat(users.notified).contains("ding");
    }
  }

  static Stream<Arguments> errorMappings() {
    return Stream.of(
        Arguments.of(StatusCode.CANCELLED, 499),
        Arguments.of(StatusCode.UNKNOWN, 500),
        Arguments.of(StatusCode.INVALID_ARGUMENT, 400),
        Arguments.of(StatusCode.DEADLINE_EXCEEDED, 504),
        Arguments.of(StatusCode.NOT_FOUND, 404),
        Arguments.of(StatusCode.ALREADY_EXISTS, 409),
        Arguments.of(StatusCode.PERMISSION_DENIED, 403),
        Arguments.of(StatusCode.RESOURCE_EXHAUSTED, 429),
        Arguments.of(StatusCode.FAILED_PRECONDITION, 400),
        Arguments.of(StatusCode.ABORTED, 409),
        Arguments.of(StatusCode.OUT_OF_RANGE, 400),
        Arguments.of(StatusCode.UNIMPLEMENTED, 404),
        Arguments.of(StatusCode.INTERNAL, 500),
        Arguments.of(StatusCode.UNAVAILABLE, 503),
        Arguments.of(StatusCode.DATA_LOSS, 500),
        Arguments.of(StatusCode.UNAUTHENTICATED, 401));
  }

  @ParameterizedTest
  @MethodSource("errorMappings")
  void everyStatusCodeMapsToItsHttpStatusWithAJsonErrorBody(StatusCode code, int httpStatus) throws Exception {
    try (RawHttp http = connect()) {
      RawHttp.Response r = http.exchange("POST", "/demo.Users/fail", "[\"" + code.name() + "\", \"why \\\"not\\\"\"]");
      assertThat(r.status()).isEqualTo(httpStatus);
      assertThat(r.header("content-type")).isEqualTo("application/json");
      assertThat(r.body().strip()).isEqualTo("{\"code\":\"" + code.name() + "\",\"message\":\"why \\\"not\\\"\"}");
      if (code == StatusCode.RESOURCE_EXHAUSTED) {
        assertThat(r.header("retry-after")).isEqualTo("1");
      }
    }
  }

  @Test
  void applicationExceptionsKeepTheirClassName() throws Exception {
    try (RawHttp http = connect()) {
      RawHttp.Response r = http.exchange("POST", "/demo.Users/refuse", "\"nobody home\"");
      assertThat(r.status()).isEqualTo(500);
      String type = UserResource.NoSuchUserException.class.getName();
      assertThat(r.header("courier-exception")).isEqualTo(type);
      assertThat(r.body().strip()).isEqualTo("{\"code\":\"UNKNOWN\",\"message\":\"nobody home\",\"exception\":\"" + type
          + "\"}");
      RawHttp.Response notFound = http.exchange("GET", "/users/404", null);
      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.body()).contains("\"code\":\"NOT_FOUND\"", "no user 404");
    }
  }

  @Test
  void unknownRoutesAre404AndWrongMethodsAre405WithAllow() throws Exception {
    try (RawHttp http = connect()) {
      RawHttp.Response noService = http.exchange("POST", "/demo.Nobody/call", "1");
      assertThat(noService.status()).isEqualTo(404);
      assertThat(noService.body()).contains("\"code\":\"UNIMPLEMENTED\"", "unknown service demo.Nobody");
      RawHttp.Response noMethod = http.exchange("POST", "/demo.Users/nothing", "1");
      assertThat(noMethod.body()).contains("unknown method nothing of service demo.Users");
      RawHttp.Response noRoute = http.exchange("GET", "/nowhere/at/all", null);
      assertThat(noRoute.status()).isEqualTo(404);
      assertThat(noRoute.body()).contains("no route for GET /nowhere/at/all");

      RawHttp.Response wrongMethod = http.exchange("PATCH", "/users/7", "{}");
      assertThat(wrongMethod.status()).isEqualTo(405);
      assertThat(wrongMethod.header("allow")).isEqualTo("DELETE, GET, PUT");
      RawHttp.Response getOnDefault = http.exchange("GET", "/demo.Users/ping", null);
      assertThat(getOnDefault.status()).isEqualTo(405);
      assertThat(getOnDefault.header("allow")).isEqualTo("POST");
    }
  }

  @Test
  void malformedJsonIs400NamingTheProblemWithLineAndColumn() throws Exception {
    try (RawHttp http = connect()) {
      RawHttp.Response broken = http.exchange("POST", "/users", "{\n  \"name\": ,\n}");
      assertThat(broken.status()).isEqualTo(400);
      assertThat(broken.body()).contains("\"code\":\"INVALID_ARGUMENT\"",
          "cannot decode the arguments of demo.Users/create", "line 2, column");
      RawHttp.Response trailing = http.exchange("POST", "/demo.Users/sum", "[1] [2]");
      assertThat(trailing.status()).isEqualTo(400);
      assertThat(trailing.body()).contains("unexpected content after the JSON value (line 1, column 5)");
      RawHttp.Response wrapped = http.exchange("POST", "/demo.Users/greet", "\"only one\"");
      assertThat(wrapped.status()).isEqualTo(400);
      assertThat(wrapped.body()).contains("a JSON array of 2 values");
      RawHttp.Response empty = http.exchange("POST", "/users", "");
      assertThat(empty.status()).isEqualTo(400);
      assertThat(empty.body()).contains("the body is empty");
      RawHttp.Response badQuery = http.exchange("GET", "/users?page=abc", null);
      assertThat(badQuery.status()).isEqualTo(400);
      assertThat(badQuery.body()).contains("query parameter 'page': 'abc' is not a valid int");
      RawHttp.Response missing = http.exchange("GET", "/users", null);
      assertThat(missing.status()).isEqualTo(400);
      assertThat(missing.body()).contains("query parameter 'page' is missing");
      RawHttp.Response badPath = http.exchange("GET", "/users/seven", null);
      assertThat(badPath.status()).isEqualTo(400);
      assertThat(badPath.body()).contains("path parameter 'id': 'seven' is not a valid long");
      RawHttp.Response badEnum = http.exchange("GET", "/kinds/ROOT", null);
      assertThat(badEnum.status()).isEqualTo(400);
      assertThat(badEnum.body()).contains("path parameter 'kind'", "ROOT");
      RawHttp.Response badEscape = http.exchange("GET", "/files/%zz", null);
      assertThat(badEscape.status()).isEqualTo(400);
      assertThat(badEscape.body()).contains("malformed path");
    }
  }

  @Test
  void unsupportedMediaTypeIs415() throws Exception {
    try (RawHttp http = connect()) {
      RawHttp.Response text = http.exchange("POST", "/users", "name=x", "Content-Type: text/plain");
      assertThat(text.status()).isEqualTo(415);
      assertThat(text.body()).contains("content-type 'text/plain' is not supported (expected: application/json");
      RawHttp.Response latin1 =
          http.exchange("POST", "/users", "{}", "Content-Type: application/json; charset=ISO-8859-1");
      assertThat(latin1.status()).isEqualTo(415);
      // what curl -d sends: a form is never read as JSON (a page could post it cross-site without a preflight)
      RawHttp.Response form = http.exchange("POST", "/users", "{\"name\":\"a\"}",
          "Content-Type: application/x-www-form-urlencoded");
      assertThat(form.status()).isEqualTo(415);
      assertThat(form.body()).contains("with curl: -H 'Content-Type: application/json', or --json");
      // nor is a body that says nothing of what it is
      http.send("POST /users HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n{\"name\":\"a\"}");
      RawHttp.Response untyped = http.read();
      assertThat(untyped.status()).isEqualTo(415);
      assertThat(untyped.body()).contains("a body without a content-type");
      // the connection goes on: the refused body was small enough to read and drop
      assertThat(http.exchange("POST", "/users", "{\"name\":\"a\"}", "Content-Type: application/vnd.acme+json")
          .status()).isEqualTo(200);
    }
  }

  @Test
  void aBodyOverTheLimitIsRefusedBeforeItIsSentInFull() throws Exception {
    try (RawHttp http = connect()) {
      int declared = 10 * 1024 * 1024;
      http.send("POST /users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
          + declared + "\r\n\r\n");
      http.send(new byte[1024]); // a sliver of the 10 MiB: the answer comes before the rest is sent
      RawHttp.Response r = http.read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(r.body()).contains("\"code\":\"RESOURCE_EXHAUSTED\"", "over the limit of 65536 bytes");
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void aChunkedBodyIsRefusedAsSoonAsItPassesTheLimit() throws Exception {
    try (RawHttp http = connect()) {
      http.send("POST /users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = new byte[16 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      for (int i = 0; i < 5; i++) { // 80 KiB, past the 64 KiB limit; the terminating chunk never comes
        http.send(Integer.toHexString(chunk.length) + "\r\n");
        http.send(chunk);
        http.send("\r\n");
      }
      RawHttp.Response r = http.read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void expectContinueIsAnsweredOrRefused() throws Exception {
    try (RawHttp http = connect()) {
      String body = "{\"name\":\"patient\"}";
      http.send("POST /users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(100);
      http.send(body);
      assertThat(http.read().body()).contains("patient");
    }
    try (RawHttp http = connect()) {
      http.send("POST /users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
          + "Content-Length: " + (MAX_BODY + 1) + "\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(413);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOnOneKeptAliveConnection() throws Exception {
    try (RawHttp http = connect()) {
      String pipeline = RawHttp.request("POST", "/demo.Users/slow", "300")
          + RawHttp.request("GET", "/users/1", null)
          + RawHttp.request("POST", "/demo.Users/greet", "[\"a\",\"b\"]")
          + RawHttp.request("GET", "/nowhere", null)
          + RawHttp.request("POST", "/demo.Users/ping", null);
      http.send(pipeline);
      assertThat(http.read().body()).isEqualTo("\"done\""); // the slow one first, though the others finished before
      assertThat(http.read().body()).contains("\"id\":1");
      assertThat(http.read().body()).isEqualTo("\"Hello, a b!\"");
      assertThat(http.read().status()).isEqualTo(404);
      assertThat(http.read().body()).isEqualTo("42");
      for (int i = 0; i < 50; i++) {
        assertThat(http.exchange("GET", "/users/" + i, null).body()).contains("\"id\":" + i + ",");
      }
    }
  }

  @Test
  void http10AndConnectionCloseEndTheConnection() throws Exception {
    try (RawHttp http = connect()) {
      http.send("POST /demo.Users/ping HTTP/1.0\r\nHost: localhost\r\n\r\n");
      RawHttp.Response r = http.read();
      assertThat(r.body()).isEqualTo("42");
      assertThat(http.closedByServer()).isTrue();
    }
    try (RawHttp http = connect()) {
      RawHttp.Response r = http.exchange("POST", "/demo.Users/ping", null, "Connection: close");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(http.closedByServer()).isTrue();
    }
    try (RawHttp http = connect()) {
      http.send("POST /demo.Users/ping HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
      assertThat(http.read().header("connection")).isEqualTo("keep-alive");
      assertThat(http.exchange("POST", "/demo.Users/ping", null).body()).isEqualTo("42");
    }
  }

  @Test
  void headersBecomeMetadataAndResponseHeadersComeBack() throws Exception {
    try (RawHttp http = connect()) {
      RawHttp.Response r = http.exchange("POST", "/demo.Users/headers", null, "Authorization: Bearer s3cret",
          "X-Tenant: acme", "X-Trace-Bin: AQID", "grpc-foo: hidden");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).contains("\"authorization\":\"Bearer s3cret\"", "\"x-tenant\":\"acme\"")
          .doesNotContain("grpc-foo", "content-length", "\"host\"");
      assertThat(r.header("x-served-by")).isEqualTo("courier");
    }
  }

  @Test
  void theDeadlineHeaderIsHonoured() throws Exception {
    try (RawHttp http = connect()) {
      int before = users.sleepers.size();
      long start = System.nanoTime();
      RawHttp.Response r = http.exchange("POST", "/demo.Users/slow", "30000", "grpc-timeout: 200m");
      assertThat(r.status()).isEqualTo(504);
      assertThat(r.body()).contains("\"code\":\"DEADLINE_EXCEEDED\"");
      assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
      Polling.await("the server call to be cancelled", () -> users.sleepers.size() > before
          && users.sleepers.get(users.sleepers.size() - 1).isCancelled());
      RawHttp.Response malformed = http.exchange("POST", "/demo.Users/ping", null, "grpc-timeout: soon");
      assertThat(malformed.status()).isEqualTo(400);
      assertThat(malformed.body()).contains("malformed grpc-timeout 'soon'");
    }
  }

  @Test
  void aClientThatGoesAwayCancelsItsCall() throws Exception {
    int before = users.sleepers.size();
    try (RawHttp http = connect()) {
      http.send(RawHttp.request("POST", "/demo.Users/slow", "30000"));
      Polling.await("the call to start", () -> users.sleepers.size() > before);
    }
    Polling.await("the server call to be cancelled", () -> users.sleepers.get(users.sleepers.size() - 1).isCancelled());
  }

  @Test
  void garbageIs400AndClosesThatConnectionOnly() throws Exception {
    try (RawHttp http = connect()) {
      http.send("this is not http\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response r = http.read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(http.closedByServer()).isTrue();
    }
    try (RawHttp http = connect()) {
      http.send("GET /" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(414);
    }
    try (RawHttp http = connect()) { // headers over 16 KiB (docs/rest.md), sent as two of 9 KiB each
      http.send("GET /users/5 HTTP/1.1\r\nHost: localhost\r\nX-A: " + "a".repeat(9 * 1024) + "\r\nX-B: "
          + "b".repeat(9 * 1024) + "\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(431);
    }
    try (RawHttp http = connect()) { // just under it is served
      http.send("GET /users/5 HTTP/1.1\r\nHost: localhost\r\nX-A: " + "a".repeat(15 * 1024) + "\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(200);
    }
  }
}
