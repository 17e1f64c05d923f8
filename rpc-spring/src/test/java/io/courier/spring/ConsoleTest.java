package io.courier.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.server.ServerInterceptor;
import io.courier.spring.autoconfigure.CourierAutoConfiguration;
import io.courier.spring.autoconfigure.CourierConsoleAutoConfiguration;
import io.courier.spring.fixtures.FriendlyGreeter;
import io.courier.spring.fixtures.OpenableGate;
import io.courier.spring.fixtures.ProviderApp;
import io.courier.spring.internal.CourierConfigurationException;
import io.courier.spring.internal.CourierFailureAnalyzer;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.spring.internal.console.ConsoleServlet;
import io.courier.testing.Polling;
import io.courier.testing.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console served by the starter in a servlet web application (Tomcat on a free port, the actuator present): under
 * {@code /actuator/courier/console/}, behind the server's bearer tokens and the loopback rule, try-it answered without
 * holding a container thread, bodies over 64 KiB refused, off by default, moved by the actuator's base path and port,
 * and start-up refused when nothing would serve it.
 */
class ConsoleTest {

  private static final String CONSOLE = "/actuator/courier/console";
  private static final String TOKEN = "Bearer s3cret";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** The console on, bearer tokens, forwarded headers honoured (Spring's filter), and a single container thread. */
  private static ConfigurableApplicationContext app;
  private static int port;

  @BeforeAll
  static void start() {
    app = start(ProviderApp.class,
        "courier.server.console.enabled=true",
        "courier.server.auth.tokens.ops=s3cret",
        "server.forward-headers-strategy=framework",
        // one worker thread: a try-it call that held it would keep every other request out
        "server.tomcat.threads.max=1",
        "server.tomcat.threads.min-spare=1");
    port = port(app, "local.server.port");
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.getBean(OpenableGate.class).open();
      app.close();
    }
  }

  @Test
  void apiServerAnswersRunningWithTheToken() throws Exception {
    HttpResponse<String> response = send(get(port, CONSOLE + "/api/server").header("authorization", TOKEN));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    JsonNode server = JSON.readTree(response.body());
    assertThat(server.path("state").asString()).isEqualTo("RUNNING");
    assertThat(server.path("addresses").path("tcp").asString()).as("the starter's listener").startsWith("127.0.0.1:");
    assertThat(server.path("actions").path("call").asBoolean()).as("an authenticated caller may try").isTrue();
  }

  @Test
  void theDataNeedsAToken() throws Exception {
    HttpResponse<String> none = send(get(port, CONSOLE + "/api/server"));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(none.body()).path("code").asString()).isEqualTo("UNAUTHENTICATED");
    assertThat(send(get(port, CONSOLE + "/api/services").header("authorization", "Bearer wrong")).statusCode())
        .isEqualTo(401);
    HttpResponse<String> services = send(get(port, CONSOLE + "/api/services").header("authorization", TOKEN));
    assertThat(services.statusCode()).isEqualTo(200);
    assertThat(services.body()).contains("spring.test.Greeter").contains("spring.test.Gate");
  }

  @Test
  void thePageIsServedAndItsBaseRedirectsToIt() throws Exception {
    HttpResponse<String> base = send(get(port, CONSOLE));
    assertThat(base.statusCode()).isEqualTo(308);
    assertThat(base.headers().firstValue("location")).as("relative: resolves to " + CONSOLE + "/")
        .hasValue("console/");
    assertThat(URI.create("http://127.0.0.1" + CONSOLE).resolve("console/").getPath()).isEqualTo(CONSOLE + "/");
    HttpResponse<String> page = send(get(port, CONSOLE + "/"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("console.js");
    assertThat(send(get(port, CONSOLE + "/console.js")).statusCode()).isEqualTo(200);
  }

  @Test
  void tryItCallsTheServiceWithTheArgumentsGiven() throws Exception {
    HttpResponse<String> response = send(tryIt(port, "spring.test.Greeter", "greet", "[\"Ann\"]")
        .header("authorization", TOKEN));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.path("status").asString()).isEqualTo("OK");
    assertThat(answer.path("result").asString()).isEqualTo("Hello, Ann");
    assertThat(answer.path("headers").path("authorization").asString()).as("carried into the call, redacted")
        .startsWith("Bearer ").doesNotContain("s3cret");

    HttpResponse<String> failed = send(tryIt(port, "spring.test.Greeter", "fail", "[\"on purpose\"]")
        .header("authorization", TOKEN));
    assertThat(JSON.readTree(failed.body()).path("description").asString()).contains("on purpose");
    assertThat(send(tryIt(port, "spring.test.Greeter", "greet", "[\"Ann\"]")).statusCode()).as("no token")
        .isEqualTo(401);
  }

  @Test
  void aTryItCallInFlightHoldsNoContainerThread() throws Exception {
    OpenableGate gate = app.getBean(OpenableGate.class);
    CompletableFuture<HttpResponse<String>> held = HTTP.sendAsync(tryIt(port, "spring.test.Gate", "pass", "[\"g1\"]",
        "&timeoutMs=20000").header("authorization", TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    try {
      Polling.await("the try-it call reaches the gate", () -> gate.waiting() == 1);
      // Tomcat has one worker thread: it answers only if the try-it request gave it back
      HttpResponse<String> meanwhile = send(get(port, CONSOLE + "/api/server").header("authorization", TOKEN));
      assertThat(meanwhile.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(meanwhile.body()).path("inFlight").asInt()).isEqualTo(1);
      assertThat(held).isNotDone();
    } finally {
      gate.open();
    }
    HttpResponse<String> answer = held.get(10, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).path("result").asString()).isEqualTo("passed g1");
  }

  @Test
  void aBodyOver64KiBIsRefusedByItsLengthAndWhileItIsRead() throws Exception {
    byte[] large = new byte[64 * 1024 + 1];
    Arrays.fill(large, (byte) ' ');
    large[0] = '[';
    large[large.length - 1] = ']';
    HttpResponse<String> byLength = send(tryIt(port, "spring.test.Greeter", "greet", null)
        .header("authorization", TOKEN).POST(HttpRequest.BodyPublishers.ofByteArray(large)));
    assertThat(byLength.statusCode()).isEqualTo(413);
    assertThat(byLength.body()).contains("RESOURCE_EXHAUSTED").contains("not " + large.length);
    // chunked, no content-length: refused once more than 64 KiB arrived
    HttpResponse<String> chunked = send(tryIt(port, "spring.test.Greeter", "greet", null)
        .header("authorization", TOKEN)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large))));
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.body()).contains("RESOURCE_EXHAUSTED").doesNotContain("not " + large.length);

    String fitting = "[\"" + "a".repeat(64 * 1024 - 4) + "\"]";
    assertThat(fitting).hasSize(64 * 1024);
    HttpResponse<String> fits = send(tryIt(port, "spring.test.Greeter", "greet", null).header("authorization", TOKEN)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(fitting.getBytes()))));
    assertThat(fits.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(fits.body()).path("result").asString()).startsWith("Hello, aaa");
  }

  @Test
  void callersFromAnotherAddressAreRefused() throws Exception {
    // Spring's ForwardedHeaderFilter takes the caller's address from x-forwarded-for (strategy framework)
    HttpResponse<String> response = send(get(port, CONSOLE + "/api/server").header("authorization", TOKEN)
        .header("x-forwarded-for", "203.0.113.7"));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("loopback callers only").contains("203.0.113.7");
  }

  @Test
  void itIsOffByDefault() throws Exception {
    try (ConfigurableApplicationContext plain = start(ProviderApp.class)) {
      assertThat(send(get(port(plain, "local.server.port"), CONSOLE + "/api/server")).statusCode()).isEqualTo(404);
      assertThat(plain.getBean(ServerLifecycle.class).console()).isNull();
      assertThat(plain.containsBean("courierConsoleServlet")).isFalse();
    }
  }

  @Test
  void theActuatorsBasePathMovesItAndAllowRemoteLetsOthersInAsAuthenticatedCallers() throws Exception {
    try (ConfigurableApplicationContext moved = start(ProviderApp.class,
        "courier.server.console.enabled=true",
        "courier.server.console.allow-remote=true",
        "courier.server.auth.tokens.ops=s3cret",
        "management.endpoints.web.base-path=/manage/",
        "spring.mvc.servlet.path=/mvc", // the actuator's endpoints go below it, and so does the console
        "server.forward-headers-strategy=native")) {
      int p = port(moved, "local.server.port");
      assertThat(send(get(p, "/mvc/manage/health")).statusCode()).as("the actuator is here").isEqualTo(200);
      HttpResponse<String> anonymous = send(get(p, "/mvc/manage/courier/console/api/server")
          .header("x-forwarded-for", "203.0.113.7"));
      assertThat(anonymous.statusCode()).as("a remote caller without a token").isEqualTo(401);
      HttpResponse<String> response = send(get(p, "/mvc/manage/courier/console/api/server")
          .header("x-forwarded-for", "203.0.113.7").header("authorization", TOKEN));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).path("state").asString()).isEqualTo("RUNNING");
      assertThat(send(get(p, "/mvc/manage/courier/console/").header("x-forwarded-for", "203.0.113.7"))
          .statusCode()).as("the page, which holds no data").isEqualTo(200);
      assertThat(send(get(p, CONSOLE + "/api/server")).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aRequestRelayedFromThisHostIsNoLoopbackCallersWhateverItsForwardedHeadersSay() throws Exception {
    // a proxy on this host connects from loopback for callers anywhere; the filter takes the address a caller wrote
    // into x-forwarded-for and hides the header from the servlet, which looks below it
    HttpResponse<String> relayed = send(get(port, CONSOLE + "/api/server").header("authorization", TOKEN)
        .header("x-forwarded-for", "127.0.0.1"));
    assertThat(relayed.statusCode()).isEqualTo(403);
    assertThat(relayed.body()).contains("loopback callers only");
    assertThat(send(get(port, CONSOLE + "/api/server").header("authorization", TOKEN)
        .header("x-forwarded-proto", "https")).statusCode()).as("any proxy's header").isEqualTo(403);
  }

  @Test
  void remoteCallersReadTheDataOnlyAsAuthenticatedCallers() throws Exception {
    try (ConfigurableApplicationContext open = new SpringApplicationBuilder(ProviderApp.class, AdmitsAll.class)
        .properties("server.port=0", "server.address=127.0.0.1", "courier.server.host=127.0.0.1",
            "courier.server.transports.tcp.port=0", "courier.server.console.enabled=true",
            "courier.server.console.allow-remote=true", "server.forward-headers-strategy=framework").run()) {
      int p = port(open, "local.server.port");
      assertThat(send(get(p, CONSOLE + "/api/server")).statusCode()).as("a caller on this host: admitted")
          .isEqualTo(200);
      HttpResponse<String> remote = send(get(p, CONSOLE + "/api/server").header("x-forwarded-for", "203.0.113.7"));
      assertThat(remote.statusCode()).as("admitted, but no authenticated caller").isEqualTo(403);
      assertThat(remote.body()).contains("needs an authenticated caller");
    }
  }

  /** An interceptor that admits every call and authenticates nobody. */
  @Configuration(proxyBeanMethods = false)
  static class AdmitsAll {
    @Bean
    ServerInterceptor admitsAll() {
      return (invocation, next) -> next.proceed(invocation);
    }
  }

  @Test
  void aManagementPortOfItsOwnServesIt() throws Exception {
    try (ConfigurableApplicationContext separate = start(ProviderApp.class,
        "courier.server.console.enabled=true",
        "management.server.port=0",
        "management.server.address=127.0.0.1",
        "spring.mvc.servlet.path=/mvc")) { // the application's DispatcherServlet's; the management server's is at /
      int management = port(separate, "local.management.port");
      assertThat(management).isNotEqualTo(port(separate, "local.server.port"));
      HttpResponse<String> response = send(get(management, CONSOLE + "/api/server"));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).path("state").asString()).isEqualTo("RUNNING");
      assertThat(send(get(management, "/actuator/health")).statusCode()).as("the actuator is here").isEqualTo(200);
      assertThat(send(get(port(separate, "local.server.port"), CONSOLE + "/api/server")).statusCode())
          .as("not on the application's port").isEqualTo(404);
      assertThat(send(get(port(separate, "local.server.port"), "/mvc" + CONSOLE + "/api/server")).statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void withoutTheActuatorTheApplicationsOwnServletContainerServesIt() {
    WebApplicationContextRunner runner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CourierAutoConfiguration.class,
            CourierConsoleAutoConfiguration.class))
        .withBean(FriendlyGreeter.class, () -> new FriendlyGreeter("Hi"))
        .withPropertyValues("courier.server.console.enabled=true", "courier.server.host=127.0.0.1",
            "courier.server.transports.tcp.port=0", "management.endpoints.web.base-path=/ops");
    runner.withClassLoader(new FilteredClassLoader(ManagementContextConfiguration.class)).run(context -> {
      assertThat(context).hasNotFailed();
      ServletRegistrationBean<?> servlet = context.getBean("courierConsoleServlet", ServletRegistrationBean.class);
      assertThat(servlet.getServlet()).isInstanceOf(ConsoleServlet.class);
      assertThat(servlet.getUrlMappings()).containsExactly("/ops/courier/console", "/ops/courier/console/*");
      assertThat(servlet.isAsyncSupported()).isTrue();
      assertThat(context.getBean(ServerLifecycle.class).console()).isNotNull();
    });
    // with it, the actuator's management context registers the servlet (aManagementPortOfItsOwnServesIt)
    runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("courierConsoleServlet"));
  }

  static Stream<Arguments> nothingServesIt() {
    return Stream.of(
        Arguments.of(NoServices.class, List.of(), "courier.server.console.enabled", "no bean implements"),
        Arguments.of(ProviderApp.class, List.of("courier.server.enabled=false"), "courier.server.enabled",
            "no console to serve"),
        Arguments.of(ProviderApp.class, List.of("management.server.port=-1"), "management.server.port",
            "turns the actuator's HTTP endpoints off"),
        Arguments.of(ProviderApp.class, List.of("spring.main.web-application-type=none"),
            "courier.server.console.enabled", "spring.main.web-application-type = none"));
  }

  @ParameterizedTest(name = "{2}: {3}")
  @MethodSource("nothingServesIt")
  void startUpFailsWhenNothingWouldServeIt(Class<?> application, List<String> properties, String property,
      String mentioned) {
    List<String> all = new ArrayList<>(properties);
    all.add("courier.server.console.enabled=true");
    assertThatThrownBy(() -> start(application, all.toArray(new String[0])).close()).satisfies(failure -> {
      CourierConfigurationException cause = find(failure);
      assertThat(cause.property()).isEqualTo(property);
      FailureAnalysis analysis = new CourierFailureAnalyzer().analyze(failure);
      assertThat(analysis.getDescription()).contains(property).contains(mentioned);
      assertThat(analysis.getAction()).contains("courier.server.console.enabled=false");
    });
  }

  @Test
  void overTlsTryItUsesTheClientsTlsSettingsAndWithoutThemAnswers400(@TempDir Path dir) throws Exception {
    TestCertificates pki = TestCertificates.create(dir);
    List<String> tls = List.of("courier.server.console.enabled=true", "courier.server.auth.tokens.ops=s3cret",
        "courier.server.tls.enabled=true", "courier.server.tls.certificate-chain=" + pki.serverChain(),
        "courier.server.tls.private-key=" + pki.serverKey());
    try (ConfigurableApplicationContext untrusting = start(ProviderApp.class, tls.toArray(new String[0]))) {
      int p = port(untrusting, "local.server.port");
      HttpResponse<String> refused = send(tryIt(p, "spring.test.Greeter", "greet", "[\"Ann\"]")
          .header("authorization", TOKEN));
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("try-it calls need the client's TLS settings");
      assertThat(send(get(p, CONSOLE + "/api/server").header("authorization", TOKEN)).statusCode())
          .as("the rest of the console works").isEqualTo(200);
    }
    List<String> trusting = new ArrayList<>(tls);
    trusting.add("courier.client.tls.enabled=true");
    trusting.add("courier.client.tls.trust-certificates=" + pki.caCertificate());
    try (ConfigurableApplicationContext app = start(ProviderApp.class, trusting.toArray(new String[0]))) {
      HttpResponse<String> answered = send(tryIt(port(app, "local.server.port"), "spring.test.Greeter", "greet",
          "[\"Ann\"]").header("authorization", TOKEN));
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(answered.body()).path("result").asString()).isEqualTo("Hello, Ann");
    }
  }

  @Test
  void aContainerThatAppliesForwardedHeadersItselfNeedsAllowRemote() {
    // Tomcat's RemoteIpValve takes the address from x-forwarded-for and removes the header: nobody would be loopback
    assertThatThrownBy(() -> start(ProviderApp.class, "courier.server.console.enabled=true",
        "courier.server.auth.tokens.ops=s3cret", "server.forward-headers-strategy=native").close())
        .satisfies(failure -> {
          assertThat(find(failure).property()).isEqualTo("courier.server.console.allow-remote");
          FailureAnalysis analysis = new CourierFailureAnalyzer().analyze(failure);
          assertThat(analysis.getDescription()).contains("server.forward-headers-strategy = native")
              .contains("cannot tell a caller on this host from one a proxy relayed");
          assertThat(analysis.getAction()).contains("courier.server.console.allow-remote=true");
        });
  }

  @Test
  void allowRemoteWithNothingThatCouldAuthenticateACallerFailsStartUp() {
    assertThatThrownBy(() -> start(ProviderApp.class, "courier.server.console.enabled=true",
        "courier.server.console.allow-remote=true").close()).satisfies(failure -> {
          assertThat(find(failure).property()).isEqualTo("courier.server.console.allow-remote");
          FailureAnalysis analysis = new CourierFailureAnalyzer().analyze(failure);
          assertThat(analysis.getDescription()).contains("nothing authenticates callers");
          assertThat(analysis.getAction()).contains("courier.server.auth.tokens");
        });
  }

  // --- helpers

  private static ConfigurableApplicationContext start(Class<?> application, String... properties) {
    return new SpringApplicationBuilder(application).properties(
        "server.port=0",
        "server.address=127.0.0.1",
        "courier.server.host=127.0.0.1",
        "courier.server.transports.tcp.port=0").properties(properties).run();
  }

  private static int port(ConfigurableApplicationContext context, String property) {
    return context.getEnvironment().getRequiredProperty(property, Integer.class);
  }

  private static HttpRequest.Builder get(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
  }

  /** A try-it request; {@code arguments} {@code null} leaves the body to the caller. */
  private static HttpRequest.Builder tryIt(int port, String service, String method, String arguments,
      String... more) {
    HttpRequest.Builder b = get(port, CONSOLE + "/api/call?service=" + service + "&method=" + method
        + String.join("", more)).header("content-type", "application/json");
    return arguments == null ? b : b.POST(HttpRequest.BodyPublishers.ofString(arguments));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static CourierConfigurationException find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CourierConfigurationException c) {
        return c;
      }
    }
    throw new AssertionError("no CourierConfigurationException in " + failure, failure);
  }

  /** A web application without services. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class NoServices {}
}
