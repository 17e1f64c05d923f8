package io.courier.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.auth.AccessPolicy;
import io.courier.auth.BearerAuth;
import io.courier.client.RpcClient;
import io.courier.common.RpcException;
import io.courier.common.RpcService;
import io.courier.common.StatusCode;
import io.courier.testing.EchoService;
import io.courier.testing.RpcServerExtension;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Authentication and access rules decide on a call's headers before a byte of its arguments is decoded, on every
 * transport: the argument here counts its own construction, and a refused call constructs none on the server. A
 * refused caller also learns nothing about which methods exist: an unknown method is refused the same way.
 */
class AdmissionTest {

  /** Counts every instance made, on either side. */
  public record Tripwire(String value) {
    static final AtomicInteger MADE = new AtomicInteger();

    public Tripwire {
      MADE.incrementAndGet();
    }
  }

  @RpcService(name = "test.Vault")
  public interface Vault {
    String open(Tripwire key);

    String inspect(Tripwire key);
  }

  private static final class VaultImpl implements Vault {
    @Override
    public String open(Tripwire key) {
      return "opened by " + BearerAuth.caller().getName();
    }

    @Override
    public String inspect(Tripwire key) {
      return "inspected";
    }
  }

  /** The vault on every listener, behind server-wide rules. */
  @RegisterExtension
  static final RpcServerExtension vault = RpcServerExtension.builder().listen("tcp").listen("http2").listen("rest")
      .configure(builder -> builder
          .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("alice-token", "alice", "bob-token", "bob"))))
          .interceptor(AccessPolicy.builder().allow("test.Vault/open", "alice", "bob")
              .allow("test.Vault/inspect", "alice").build()))
      .service(Vault.class, new VaultImpl()).build();

  /** The vault on every listener, guarded by rules of its own ({@code ServiceOptions.interceptors}). */
  @RegisterExtension
  static final RpcServerExtension vaultWithOwnRules = RpcServerExtension.builder().listen("tcp").listen("http2")
      .listen("rest")
      .configure(builder -> builder
          .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("bob-token", "bob"))))
          .service(Vault.class, new VaultImpl(), io.courier.server.ServiceOptions.DEFAULT
              .interceptors(AccessPolicy.builder().allow("test.Vault/*", "alice").build())))
      .build();

  private static RpcClient client(RpcServerExtension server, String listener, String token) {
    RpcClient.Builder builder = server.clientBuilder(listener).serializer(listener.equals("rest") ? "json" : "kryo");
    if (token != null) {
      builder.interceptor(BearerAuth.client(() -> token));
    }
    return builder.build();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void refusedCallsDecodeNothing(String listener) {
    try (RpcClient anonymous = client(vault, listener, null);
        RpcClient stranger = client(vault, listener, "forged");
        RpcClient bob = client(vault, listener, "bob-token");
        RpcClient alice = client(vault, listener, "alice-token")) {
      Tripwire key = new Tripwire("k");
      Tripwire.MADE.set(0);
      assertRefused(() -> anonymous.create(Vault.class).open(key), StatusCode.UNAUTHENTICATED);
      assertRefused(() -> stranger.create(Vault.class).open(key), StatusCode.UNAUTHENTICATED);
      assertRefused(() -> bob.create(Vault.class).inspect(key), StatusCode.PERMISSION_DENIED);
      assertThat(Tripwire.MADE).as("arguments decoded for refused calls").hasValue(0);

      assertThat(alice.create(Vault.class).open(key)).isEqualTo("opened by alice");
      assertThat(Tripwire.MADE).as("the admitted call's argument, decoded once").hasValue(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void aRefusedCallerCannotTellAnUnknownMethodFromAKnownOne(String listener) {
    try (RpcClient anonymous = client(vault, listener, null);
        RpcClient alice = client(vault, listener, "alice-token")) {
      assertRefused(() -> anonymous.create(EchoService.class).echo("x"), StatusCode.UNAUTHENTICATED);
      assertRefused(() -> alice.create(EchoService.class).echo("x"), StatusCode.PERMISSION_DENIED);
    }
  }

  /** The rules of one service, set on it alone ({@code ServiceOptions.interceptors}), guard its unknown methods too. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void aServicesOwnRulesGuardItsUnknownMethodsToo(String listener) {
    try (RpcClient bob = client(vaultWithOwnRules, listener, "bob-token")) {
      assertRefused(() -> bob.create(Vault.class).open(new Tripwire("k")), StatusCode.PERMISSION_DENIED);
      assertRefused(() -> bob.create(VaultWithMore.class).steal(), StatusCode.PERMISSION_DENIED);
    }
  }

  /** The vault as a prober imagines it: one method more. */
  @RpcService(name = "test.Vault")
  public interface VaultWithMore {
    String steal();
  }

  private static void assertRefused(Runnable call, StatusCode code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).as(e.toString()).isEqualTo(code));
  }
}
