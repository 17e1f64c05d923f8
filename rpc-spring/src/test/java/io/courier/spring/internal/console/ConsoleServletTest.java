package io.courier.spring.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.Metadata;
import io.courier.console.Console;
import io.courier.console.ConsoleRequest;
import io.courier.console.ConsoleResponse;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The servlet's side of the console: what a request becomes, how the answer is written, once. */
class ConsoleServletTest {

  private final AtomicReference<ConsoleRequest> seen = new AtomicReference<>();
  private final AtomicInteger calls = new AtomicInteger();

  private Console answering(CompletableFuture<ConsoleResponse> answer) {
    return request -> {
      calls.incrementAndGet();
      seen.set(request);
      return answer;
    };
  }

  private static ConsoleResponse ok(String body) {
    return new ConsoleResponse(200, "application/json", body.getBytes(StandardCharsets.UTF_8),
        Map.of("cache-control", "no-store"));
  }

  @Test
  void aRequestBecomesAConsoleRequestAndTheAnswerIsWrittenBack() throws Exception {
    ConsoleServlet servlet = new ConsoleServlet(() -> answering(CompletableFuture.completedFuture(
        new ConsoleResponse(308, "text/plain", new byte[0], Map.of("location", "console/")))));
    MockHttpServletRequest request = new MockHttpServletRequest("post", "/actuator/courier/console/api/call");
    request.setServletPath("/actuator/courier/console");
    request.setPathInfo("/api/call");
    request.setQueryString("service=a.B&method=c%20d");
    request.addHeader("Authorization", "Bearer t");
    request.addHeader("Content-Type", "application/json");
    request.addHeader("X-Trace-Bin", Base64.getEncoder().withoutPadding().encodeToString(new byte[] {1, 2, 3}));
    request.addHeader("X-Many", "one");
    request.addHeader("X-Many", "two");
    request.addHeader("X-Accent", "caf\u00e9"); // not printable ASCII: metadata refuses it
    request.addHeader("Bad Name", "x"); // not a metadata key
    request.setRemoteAddr("10.1.2.3");
    request.setRemotePort(4567);
    request.setContent("[1]".getBytes(StandardCharsets.UTF_8));
    MockHttpServletResponse response = new MockHttpServletResponse();

    servlet.service(request, response);

    ConsoleRequest r = seen.get();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/api/call");
    assertThat(r.query()).isEqualTo("service=a.B&method=c%20d");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("[1]");
    Metadata h = r.headers();
    assertThat(h.get(Metadata.Key.of("authorization"))).isEqualTo("Bearer t");
    assertThat(h.get(Metadata.Key.of("content-type"))).isEqualTo("application/json");
    assertThat(h.get(Metadata.Key.binary("x-trace-bin"))).containsExactly(1, 2, 3);
    assertThat(h.getAll(Metadata.Key.of("x-many"))).containsExactly("one", "two");
    assertThat(h.keys()).doesNotContain("x-accent", "bad name");
    assertThat(r.remoteAddress()).isEqualTo(new InetSocketAddress("10.1.2.3", 4567));

    assertThat(response.getStatus()).isEqualTo(308);
    assertThat(response.getContentType()).isEqualTo("text/plain");
    assertThat(response.getHeader("location")).isEqualTo("console/");
    assertThat(response.getContentLength()).isZero();
  }

  @Test
  void theBaseItselfIsTheEmptyPath() throws Exception {
    ConsoleServlet servlet = new ConsoleServlet(() -> answering(CompletableFuture.completedFuture(ok("{}"))));
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/courier/console");
    request.setServletPath("/actuator/courier/console");
    servlet.service(request, new MockHttpServletResponse());
    assertThat(seen.get().path()).isEmpty();
    assertThat(seen.get().query()).isNull();
    assertThat(seen.get().body()).isEmpty();
  }

  @Test
  void onlyIpLiteralsAreResolvedSoNoNameIsTakenForLoopback() {
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setRemoteAddr("0:0:0:0:0:0:0:1");
    assertThat(((InetSocketAddress) ConsoleServlet.remoteAddress(request, false)).getAddress().isLoopbackAddress())
        .isTrue();
    request.setRemoteAddr("127.0.0.1");
    assertThat(((InetSocketAddress) ConsoleServlet.remoteAddress(request, false)).getAddress().isLoopbackAddress())
        .isTrue();
    request.setRemoteAddr("localhost"); // a name (a container configured to resolve hosts): left unresolved
    InetSocketAddress named = (InetSocketAddress) ConsoleServlet.remoteAddress(request, false);
    assertThat(named.isUnresolved()).isTrue();
    assertThat(named.getAddress()).isNull();
  }

  @Test
  void aLoopbackAddressTheConnectionDoesNotBearOutIsNotTakenForLoopback() {
    // forwarded headers, applied by the container or a filter, can name any address; the connection's end cannot
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setRemoteAddr("127.0.0.1");
    request.setLocalAddr("10.0.0.5"); // the request came in on a network interface
    InetSocketAddress claimed = (InetSocketAddress) ConsoleServlet.remoteAddress(request, false);
    assertThat(claimed.isUnresolved()).isTrue();
    assertThat(claimed.getHostString()).isEqualTo("127.0.0.1");
    // on a loopback connection, with a proxy's header that a wrapper (Spring's ForwardedHeaderFilter) hides
    MockHttpServletRequest received = new MockHttpServletRequest();
    received.setRemoteAddr("127.0.0.1");
    received.addHeader("X-Forwarded-For", "127.0.0.1");
    HttpServletRequestWrapper filtered = new HttpServletRequestWrapper(received) {
      @Override
      public String getHeader(String name) {
        return name.equalsIgnoreCase("x-forwarded-for") ? null : super.getHeader(name);
      }
    };
    assertThat(((InetSocketAddress) ConsoleServlet.remoteAddress(filtered, false)).isUnresolved()).isTrue();
    received.removeHeader("X-Forwarded-For");
    assertThat(((InetSocketAddress) ConsoleServlet.remoteAddress(filtered, false)).getAddress().isLoopbackAddress())
        .as("a loopback connection, nothing relayed").isTrue();
    assertThat(((InetSocketAddress) ConsoleServlet.remoteAddress(filtered, true)).isUnresolved())
        .as("a container that applies forwarded headers itself may have removed the header").isTrue();
    request.setRemoteAddr("10.0.0.7");
    assertThat(((InetSocketAddress) ConsoleServlet.remoteAddress(request, false)).getAddress().getHostAddress())
        .as("other addresses are resolved as before").isEqualTo("10.0.0.7");
  }

  @Test
  void theContainerAppliesForwardedHeadersUnderNativeOrOnACloudPlatformThatUsesThem() {
    assertThat(ConsoleServlet.containerAppliesForwardedHeaders(new MockEnvironment())).isFalse();
    assertThat(ConsoleServlet.containerAppliesForwardedHeaders(new MockEnvironment()
        .withProperty("server.forward-headers-strategy", "native"))).isTrue();
    assertThat(ConsoleServlet.containerAppliesForwardedHeaders(new MockEnvironment()
        .withProperty("server.forward-headers-strategy", "NATIVE"))).isTrue();
    assertThat(ConsoleServlet.containerAppliesForwardedHeaders(new MockEnvironment()
        .withProperty("server.forward-headers-strategy", "framework"))).isFalse();
    assertThat(ConsoleServlet.containerAppliesForwardedHeaders(new MockEnvironment()
        .withProperty("spring.main.cloud-platform", "kubernetes"))).as("Boot's default there").isTrue();
    assertThat(ConsoleServlet.containerAppliesForwardedHeaders(new MockEnvironment()
        .withProperty("spring.main.cloud-platform", "kubernetes").withProperty("server.forward-headers-strategy",
            "none"))).isFalse();
  }

  @Test
  void withoutARunningServerItIs503() throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    new ConsoleServlet(() -> null).service(new MockHttpServletRequest("GET", "/x"), response);
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getContentAsString()).contains("\"code\":\"UNAVAILABLE\"").contains("not running");
    assertThat(response.getHeader("cache-control")).isEqualTo("no-store");
  }

  @Test
  void aCallerTheConsoleRefusesIsAnsweredBeforeItsBodyIsRead() throws Exception {
    ConsoleResponse unauthenticated = new ConsoleResponse(401, "application/json",
        "{\"code\":\"UNAUTHENTICATED\"}".getBytes(StandardCharsets.UTF_8), Map.of());
    Console refusing = new Console() {
      @Override
      public ConsoleResponse refusal(ConsoleRequest head) {
        seen.set(head);
        return unauthenticated;
      }

      @Override
      public CompletableFuture<ConsoleResponse> handle(ConsoleRequest request) {
        calls.incrementAndGet();
        return CompletableFuture.completedFuture(ok("{}"));
      }
    };
    AtomicInteger read = new AtomicInteger();
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/x") {
      @Override
      public ServletInputStream getInputStream() {
        read.incrementAndGet();
        return super.getInputStream();
      }
    };
    request.setPathInfo("/api/call");
    request.setContent("[1]".getBytes(StandardCharsets.UTF_8));
    MockHttpServletResponse response = new MockHttpServletResponse();
    new ConsoleServlet(() -> refusing).service(request, response);
    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(read).hasValue(0);
    assertThat(calls).hasValue(0);
    assertThat(seen.get().path()).isEqualTo("/api/call");
    assertThat(seen.get().body()).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIsRefusedUnreadByItsLengthAndAsSoonAsItGrowsPastIt() throws Exception {
    ConsoleServlet servlet = new ConsoleServlet(() -> answering(CompletableFuture.completedFuture(ok("{}"))));
    AtomicInteger read = new AtomicInteger();
    MockHttpServletRequest declared = new MockHttpServletRequest("POST", "/x") {
      @Override
      public long getContentLengthLong() {
        return Console.MAX_BODY_BYTES + 1L;
      }

      @Override
      public ServletInputStream getInputStream() {
        read.incrementAndGet();
        return super.getInputStream();
      }
    };
    MockHttpServletResponse tooLong = new MockHttpServletResponse();
    servlet.service(declared, tooLong);
    assertThat(tooLong.getStatus()).isEqualTo(413);
    assertThat(tooLong.getContentAsString()).contains("RESOURCE_EXHAUSTED")
        .contains("not " + (Console.MAX_BODY_BYTES + 1));
    assertThat(read).as("not read").hasValue(0);

    MockHttpServletRequest undeclared = new MockHttpServletRequest("POST", "/x");
    undeclared.setContent(new byte[Console.MAX_BODY_BYTES + 1]);
    undeclared.removeHeader("Content-Length");
    MockHttpServletResponse grown = new MockHttpServletResponse();
    servlet.service(new HttpServletRequestWrapper(undeclared) {
      @Override
      public long getContentLengthLong() {
        return -1;
      }
    }, grown);
    assertThat(grown.getStatus()).isEqualTo(413);
    assertThat(calls).as("the console never saw either").hasValue(0);
  }

  @Test
  void readingStopsAtTheFirstChunkPastTheLimit() throws IOException {
    AtomicInteger served = new AtomicInteger();
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        served.incrementAndGet();
        return 'x';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        served.addAndGet(len);
        return len;
      }
    };
    assertThat(ConsoleServlet.readAtMost(endless, 100)).isNull();
    assertThat(served.get()).isLessThanOrEqualTo(8192);
    assertThat(ConsoleServlet.readAtMost(new ByteArrayInputStream(new byte[100]), 100)).hasSize(100);
  }

  @Test
  void anAnswerThatIsNotReadyIsWrittenAsynchronouslyOnce() throws Exception {
    CompletableFuture<ConsoleResponse> answer = new CompletableFuture<>();
    ConsoleServlet servlet = new ConsoleServlet(() -> answering(answer));
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/x");
    request.setAsyncSupported(true);
    MockHttpServletResponse response = new MockHttpServletResponse();

    servlet.service(request, response);
    assertThat(request.isAsyncStarted()).as("the container thread is given back").isTrue();
    assertThat(((MockAsyncContext) request.getAsyncContext()).getTimeout())
        .isEqualTo(ConsoleServlet.ANSWER_TIMEOUT.toMillis());
    assertThat(response.getContentAsString()).isEmpty();

    answer.complete(ok("{\"status\":\"OK\"}"));
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getContentAsString()).isEqualTo("{\"status\":\"OK\"}");
    assertThat(request.isAsyncStarted()).as("completed").isFalse();
  }

  @Test
  void anAnswerLaterThanTheTimeoutIsNotWrittenOverTheTimeoutsAnswer() throws Exception {
    CompletableFuture<ConsoleResponse> answer = new CompletableFuture<>();
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/x");
    request.setAsyncSupported(true);
    MockHttpServletResponse response = new MockHttpServletResponse();
    new ConsoleServlet(() -> answering(answer)).service(request, response);
    MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();

    for (AsyncListener listener : async.getListeners()) {
      listener.onTimeout(new AsyncEvent(async));
    }
    assertThat(response.getStatus()).isEqualTo(504);
    String timedOut = response.getContentAsString();
    assertThat(timedOut).contains("DEADLINE_EXCEEDED");

    answer.complete(ok("{\"late\":true}"));
    assertThat(response.getContentAsString()).isEqualTo(timedOut);
  }

  @Test
  void theBasePathIsTheActuators() {
    assertThat(ConsoleServlet.path(new MockEnvironment())).isEqualTo("/actuator/courier/console");
    assertThat(ConsoleServlet.path(new MockEnvironment().withProperty("management.endpoints.web.base-path",
        "/manage/"))).isEqualTo("/manage/courier/console");
    assertThat(ConsoleServlet.path(new MockEnvironment().withProperty("management.endpoints.web.base-path", "")))
        .isEqualTo("/courier/console");
  }
}
