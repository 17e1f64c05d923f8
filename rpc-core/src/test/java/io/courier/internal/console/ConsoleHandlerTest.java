package io.courier.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.auth.BearerAuth;
import io.courier.client.RpcClient;
import io.courier.common.Endpoint;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.console.ConsoleOptions;
import io.courier.console.ConsoleRequest;
import io.courier.console.ConsoleResponse;
import io.courier.registry.Registry;
import io.courier.server.CallHead;
import io.netty.util.HashedWheelTimer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's own rules, without HTTP: who may reach it, the base path's redirect, unknown paths. */
class ConsoleHandlerTest {

  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 50000);
  private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.7", 50000);

  private final HashedWheelTimer timer = new HashedWheelTimer();

  @AfterEach
  void stop() {
    timer.stop();
  }

  private ConsoleHandler console(boolean allowRemote) {
    return new ConsoleHandler(new FakeHost(), ConsoleOptions.builder().allowRemote(allowRemote).build(),
        new ConsoleMetrics(), timer);
  }

  private static ConsoleResponse get(ConsoleHandler console, String path, InetSocketAddress from) {
    return console.handle(new ConsoleRequest("GET", path, null, Metadata.EMPTY, new byte[0], from)).join();
  }

  private static String body(ConsoleResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void onlyLoopbackCallersByDefault() {
    ConsoleHandler console = console(false);
    ConsoleResponse remote = get(console, "/api/server", REMOTE);
    assertThat(remote.status()).isEqualTo(403);
    assertThat(body(remote)).contains("loopback callers only").contains("allowRemote(true)");
    assertThat(get(console, "/", REMOTE).status()).isEqualTo(403); // the page too
    assertThat(get(console, "/api/server", LOOPBACK).status()).isEqualTo(200);
  }

  @Test
  void anAddressTheRuleCannotReadIsNotLoopback() {
    ConsoleResponse response = console(false).handle(new ConsoleRequest("GET", "/api/server", null, Metadata.EMPTY,
        new byte[0], new SocketAddress() { })).join();
    assertThat(response.status()).isEqualTo(403);
  }

  @Test
  void remoteCallersWhenAllowedReadTheDataOnlyAsAnAuthenticatedCaller() {
    FakeHost host = new FakeHost();
    ConsoleHandler console = new ConsoleHandler(host, ConsoleOptions.builder().allowRemote(true).build(),
        new ConsoleMetrics(), timer);
    assertThat(get(console, "/", REMOTE).status()).as("the page holds no data").isEqualTo(200);
    ConsoleResponse anonymous = get(console, "/api/server", REMOTE);
    assertThat(anonymous.status()).isEqualTo(403);
    assertThat(body(anonymous)).contains("not on this host").contains("needs an authenticated caller");
    assertThat(console.refusal(new ConsoleRequest("GET", "/api/services", null, Metadata.EMPTY, new byte[0],
        REMOTE)).status()).as("refused on the head too").isEqualTo(403);
    assertThat(get(console, "/api/server", LOOPBACK).status()).as("a caller on this host: admission only")
        .isEqualTo(200);
    host.caller = () -> "ops";
    assertThat(get(console, "/api/server", REMOTE).status()).isEqualTo(200);
    assertThat(console.refusal(new ConsoleRequest("GET", "/api/services", null, Metadata.EMPTY, new byte[0],
        REMOTE))).isNull();
  }

  @Test
  void aRequestAProxyRelayedIsNotALoopbackCallersWhateverItsAddress() {
    // a proxy on this host connects from loopback for callers anywhere
    ConsoleHandler console = console(false);
    for (String header : List.of("forwarded", "x-forwarded-for", "x-real-ip")) {
      Metadata relayed = Metadata.builder().add(header, header.equals("forwarded") ? "for=203.0.113.7"
          : "203.0.113.7").build();
      ConsoleResponse response = console.handle(new ConsoleRequest("GET", "/api/server", null, relayed, new byte[0],
          LOOPBACK)).join();
      assertThat(response.status()).as(header).isEqualTo(403);
      assertThat(body(response)).as(header).contains("loopback callers only").contains("relayed by a proxy");
      assertThat(console.refusal(new ConsoleRequest("GET", "/", null, relayed, new byte[0], LOOPBACK)).status())
          .as(header + ", on the head").isEqualTo(403);
    }
    assertThat(get(console, "/api/server", LOOPBACK).status()).isEqualTo(200);
  }

  @Test
  void theBaseRedirectsToItsDirectoryAndUnknownPathsAreNotFound() {
    ConsoleHandler console = console(false);
    ConsoleResponse base = get(console, "", LOOPBACK);
    assertThat(base.status()).isEqualTo(308);
    assertThat(base.headers()).containsEntry("location", "console/");
    ConsoleResponse unknown = get(console, "/etc/passwd", LOOPBACK);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(body(unknown)).contains("\"code\":\"NOT_FOUND\"");
  }

  @Test
  void aRefusalOfTheServersAdmissionIsTheAnswer() {
    FakeHost host = new FakeHost();
    host.refusal = Status.UNAUTHENTICATED.withDescription("no token");
    ConsoleHandler console = new ConsoleHandler(host, ConsoleOptions.builder().build(), new ConsoleMetrics(), timer);
    ConsoleResponse response = get(console, "/api/metrics", LOOPBACK);
    assertThat(response.status()).isEqualTo(401);
    assertThat(body(response)).contains("no token");
    assertThat(host.admitted).extracting(CallHead::fullName).containsExactly("courier.Console/read");
  }

  @Test
  void theHeadAloneIsCheckedBeforeABodyIsRead() {
    FakeHost host = new FakeHost();
    ConsoleHandler console = new ConsoleHandler(host, ConsoleOptions.builder().build(), new ConsoleMetrics(), timer);
    ConsoleRequest call = new ConsoleRequest("POST", "/api/call", null, Metadata.EMPTY, new byte[0], LOOPBACK);
    // admitted, but no authenticated caller: try-it is refused on the head
    ConsoleResponse refused = console.refusal(call);
    assertThat(refused).isNotNull();
    assertThat(refused.status()).isEqualTo(403);
    assertThat(host.admitted).extracting(CallHead::fullName).containsExactly("courier.Console/call");
    assertThat(console.refusal(new ConsoleRequest("GET", "/", null, Metadata.EMPTY, new byte[0], LOOPBACK)))
        .isNull(); // the page's files need nothing
    assertThat(console.refusal(new ConsoleRequest("POST", "/api/call", null, Metadata.EMPTY, new byte[0], REMOTE))
        .status()).isEqualTo(403);
    host.refusal = Status.UNAUTHENTICATED.withDescription("no token");
    assertThat(console.refusal(new ConsoleRequest("GET", "/api/server", null, Metadata.EMPTY, new byte[0], LOOPBACK))
        .status()).isEqualTo(401);
  }

  /** A server with nothing exported and no registry. */
  private static final class FakeHost implements ConsoleHandler.Host {
    Status refusal;
    Principal caller; // attached as BearerAuth.CALLER by admission when set
    final List<CallHead> admitted = new ArrayList<>();

    @Override
    public String state() {
      return "RUNNING";
    }

    @Override
    public boolean registered() {
      return false;
    }

    @Override
    public Registry registry() {
      return null;
    }

    @Override
    public Map<String, InetSocketAddress> addresses() {
      return Map.of("rest", LOOPBACK);
    }

    @Override
    public int inFlight() {
      return 0;
    }

    @Override
    public List<ServiceDescriptor> services() {
      return List.of();
    }

    @Override
    public String[] versionAndGroup(ServiceDescriptor service) {
      return new String[] {"", ""};
    }

    @Override
    public Function<MethodDescriptor, String> restRoutes() {
      return null;
    }

    @Override
    public Status admit(CallHead head) {
      admitted.add(head);
      if (refusal == null && caller != null) {
        head.attach(BearerAuth.CALLER, caller);
      }
      return refusal;
    }

    @Override
    public boolean isSelf(String host, Map<String, Integer> ports) {
      return true;
    }

    @Override
    public Endpoint selfEndpoint(String transport) {
      return null;
    }

    @Override
    public RpcClient newTryItClient() {
      throw new UnsupportedOperationException();
    }

    @Override
    public String tryItUnavailable() {
      return "not here";
    }

    @Override
    public void register() {}

    @Override
    public void deregister() {}

    @Override
    public void drain() {}
  }
}
