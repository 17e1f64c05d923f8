package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.common.StatusCode;
import io.courier.common.StreamObserver;
import io.courier.rest.PathParam;
import io.courier.rest.QueryParam;
import io.courier.rest.RestRoute;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing REST mappings from annotations (and refusing bad ones by name), and routing requests to them. */
class RestRouterTest {

  private static final RestRouter ROUTER = new RestRouter(List.of(ServiceDescriptor.of(UserResource.class)));

  private static RestRouter.Match match(String method, String path) {
    return ROUTER.match(method, path);
  }

  @Test
  void routesByMethodAndPathWithLiteralsBeforeVariables() {
    assertThat(match("GET", "/users/7").mapping().method().name()).isEqualTo("get");
    assertThat(match("GET", "/users/7").variables()[0]).isEqualTo("7");
    assertThat(match("GET", "/users/me").mapping().method().name()).isEqualTo("me");
    assertThat(match("PUT", "/users/me").mapping().method().name()).isEqualTo("update"); // no PUT /users/me
    assertThat(match("GET", "/users").mapping().method().name()).isEqualTo("list");
    assertThat(match("POST", "/users").mapping().method().name()).isEqualTo("create");
    assertThat(match("GET", "/files/a%2Fb").variables()[0]).isEqualTo("a/b");
    assertThat(match("POST", "/demo.Users/sum").mapping().method().name()).isEqualTo("sum");
    assertThat(match("POST", "/demo.Users/get").found()).isFalse(); // a routed method has no default route
  }

  @Test
  void aGenericCallIsRoutedByServiceAndMethodToThePositionalMapping() {
    RestRouter.Match get = ROUTER.matchGeneric("POST", "/demo.Users/get");
    assertThat(get.found()).isTrue();
    assertThat(get.mapping().method().name()).isEqualTo("get");
    assertThat(get.mapping().isPositional()).isTrue();
    assertThat(get.mapping().params()).extracting(RestMapping.Param::source).containsExactly(RestMapping.Source.BODY);
    assertThat(get.mapping().bodyParams()).containsExactly(0);
    assertThat(ROUTER.matchGeneric("POST", "/demo.Users/sum").mapping().isPositional()).isTrue();
    assertThat(ROUTER.matchGeneric("POST", "/demo.Users/nope").httpStatus()).isEqualTo(404);
    assertThat(ROUTER.matchGeneric("POST", "/users/7").httpStatus()).isEqualTo(404);
    assertThat(ROUTER.matchGeneric("GET", "/demo.Users/get").httpStatus()).isEqualTo(405);
    assertThat(ROUTER.matchGeneric("GET", "/demo.Users/get").allow()).isEqualTo("POST");
    assertThat(RestMapping.positional(ServiceDescriptor.of(UserResource.class).method("get")))
        .isSameAs(get.mapping());
    RestMapping client = RestMapping.of(ServiceDescriptor.generic("demo.Users").genericMethod("get", 1));
    assertThat(client.isPositional()).isTrue();
    assertThat(client.template()).isEqualTo("/demo.Users/get");
    assertThat(client.httpMethod()).isEqualTo("POST");
  }

  @Test
  void refusesWhatNoRouteTakes() {
    RestRouter.Match wrongMethod = match("PATCH", "/users/7");
    assertThat(wrongMethod.httpStatus()).isEqualTo(405);
    assertThat(wrongMethod.allow()).isEqualTo("DELETE, GET, PUT");
    assertThat(match("GET", "/demo.Users/sum").allow()).isEqualTo("POST");
    assertThat(match("GET", "/users/7/friends").httpStatus()).isEqualTo(404);
    assertThat(match("GET", "/%zz").httpStatus()).isEqualTo(400);
    assertThat(ROUTER.describe()).contains("POST /demo.Users/sum", "GET /users/{id}", "GET /users/me");
  }

  @Test
  void theMappingSaysWhereEachParameterComesFrom() {
    RestMapping list = RestMapping.of(ServiceDescriptor.of(UserResource.class).method("list"));
    assertThat(list.httpMethod()).isEqualTo("GET");
    assertThat(list.params()).extracting(RestMapping.Param::source).containsExactly(RestMapping.Source.QUERY,
        RestMapping.Source.QUERY, RestMapping.Source.QUERY);
    assertThat(list.params()[1].multiple()).isTrue();
    assertThat(list.bodyParams()).isEmpty();
    RestMapping update = RestMapping.of(ServiceDescriptor.of(UserResource.class).method("update"));
    assertThat(update.bodyParams()).containsExactly(1);
    RestMapping greet = RestMapping.of(ServiceDescriptor.of(UserResource.class).method("greet"));
    assertThat(greet.isRouted()).isFalse();
    assertThat(greet.template()).isEqualTo("/demo.Users/greet");
    assertThat(greet.bodyParams()).containsExactly(0, 1);
  }

  @Test
  void theHttpStatusOfAnUnknownErrorBodyMapsBackToACode() {
    assertThat(RestErrors.codeOf(400)).isEqualTo(StatusCode.INVALID_ARGUMENT);
    assertThat(RestErrors.codeOf(404)).isEqualTo(StatusCode.UNIMPLEMENTED);
    assertThat(RestErrors.codeOf(413)).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
    assertThat(RestErrors.codeOf(502)).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(RestErrors.codeOf(504)).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
    assertThat(RestErrors.codeOf(418)).isEqualTo(StatusCode.UNKNOWN);
    for (StatusCode code : StatusCode.values()) {
      int http = RestErrors.httpStatus(code).code();
      assertThat(http).isBetween(200, 599);
    }
  }

  @RpcService(name = "t.GetWithBody")
  interface GetWithBody {
    @RestRoute(method = "GET", path = "/x")
    String get(String body);
  }

  @RpcService(name = "t.Unbound")
  interface Unbound {
    @RestRoute(method = "GET", path = "/x/{id}")
    String get(@QueryParam("id") String id);
  }

  @RpcService(name = "t.Dangling")
  interface Dangling {
    @RestRoute(method = "GET", path = "/x")
    String get(@PathParam("id") String id);
  }

  @RpcService(name = "t.NoRoute")
  interface NoRoute {
    String get(@PathParam("id") String id);
  }

  @RpcService(name = "t.Clash")
  interface Clash {
    @RestRoute(method = "GET", path = "/x/{a}")
    String one(@PathParam("a") String a);

    @RestRoute(method = "GET", path = "/x/{b}")
    String two(@PathParam("b") String b);
  }

  @RpcService(name = "t.BadTemplate")
  interface BadTemplate {
    @RestRoute(method = "GET", path = "/x/pre{id}")
    String get(@PathParam("id") String id);
  }

  @RpcService(name = "t.LowerCase")
  interface LowerCase {
    @RestRoute(method = "get", path = "/x")
    String get();
  }

  @RpcService(name = "t.Streaming")
  interface Streaming {
    @RestRoute(method = "POST", path = "/x")
    void watch(String topic, StreamObserver<String> updates);
  }

  @RpcService(name = "t.ListInPath")
  interface ListInPath {
    @RestRoute(method = "GET", path = "/x/{ids}")
    String get(@PathParam("ids") List<String> ids);
  }

  private static void refused(Class<?> type, String... messages) {
    assertThatThrownBy(() -> new RestRouter(List.of(ServiceDescriptor.of(type))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(type.getSimpleName())
        .satisfies(e -> assertThat(e.getMessage()).contains(messages));
  }

  @Test
  void badMappingsAreRefusedNamingTheMethodAndTheFix() {
    refused(GetWithBody.class, "is a GET route with body parameters", "@PathParam or @QueryParam");
    refused(Unbound.class, "has path variable {id}", "no parameter annotated @PathParam(\"id\")");
    refused(Dangling.class, "@PathParam(\"id\") but its path \"/x\" has no {id}");
    refused(NoRoute.class, "has @PathParam(\"id\") but the method has no @RestRoute");
    refused(Clash.class, "REST routes clash", "GET /x/{a}", "GET /x/{b}");
    refused(BadTemplate.class, "a variable is a whole segment");
    refused(LowerCase.class, "an upper-case HTTP method");
    refused(Streaming.class, "streaming methods are not served over REST");
    refused(ListInPath.class, "expected: a single value");
  }
}
