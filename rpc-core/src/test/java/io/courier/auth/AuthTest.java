package io.courier.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.NoOpSerializerProvider;
import io.courier.client.RpcClient;
import io.courier.common.RpcException;
import io.courier.common.RpcService;
import io.courier.common.StatusCode;
import io.courier.server.RpcServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthTest {

  @RpcService(name = "test.Vault")
  public interface Vault {
    String whoAmI();

    String open();
  }

  private final AtomicInteger opened = new AtomicInteger();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private RpcServer server() {
    RpcServer server = RpcServer.builder().listen("inprocess", 0).serializerProvider(new NoOpSerializerProvider())
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("s3cret-a", "alice", "s3cret-b", "bob"))))
        .interceptor(AccessPolicy.builder().allow("test.Vault/open", "alice").allowAnyAuthenticated("test.Vault/*")
            .build())
        .service(Vault.class, new Vault() {
          @Override
          public String whoAmI() {
            return BearerAuth.caller().getName();
          }

          @Override
          public String open() {
            opened.incrementAndGet();
            return "opened";
          }
        }).build().start();
    resources.add(server);
    return server;
  }

  private Vault stub(RpcServer server, String token) {
    RpcClient.Builder builder = RpcClient.builder().transport("inprocess")
        .address(server.addresses().get(0).getHostString() + ":0").serializerProvider(new NoOpSerializerProvider());
    if (token != null) {
      builder.interceptor(BearerAuth.client(() -> token));
    }
    RpcClient client = builder.build();
    resources.add(client);
    return client.create(Vault.class);
  }

  @Test
  void authenticatedCallersReachTheServiceWithTheirIdentity() {
    RpcServer server = server();
    assertThat(stub(server, "s3cret-a").whoAmI()).isEqualTo("alice");
    assertThat(stub(server, "s3cret-a").open()).isEqualTo("opened");
  }

  @Test
  void missingOrWrongTokensAreUnauthenticated() {
    RpcServer server = server();
    assertThatThrownBy(() -> stub(server, null).whoAmI()).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNAUTHENTICATED);
      assertThat(e.status().description()).contains("bearer token is required");
    });
    assertThatThrownBy(() -> stub(server, "s3cret-x").whoAmI()).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.UNAUTHENTICATED));
  }

  @Test
  void accessRulesDenyAndNameTheCallerAndMethod() {
    RpcServer server = server();
    assertThat(stub(server, "s3cret-b").whoAmI()).isEqualTo("bob");
    assertThatThrownBy(() -> stub(server, "s3cret-b").open()).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.PERMISSION_DENIED);
      assertThat(e.status().description()).isEqualTo("caller 'bob' may not call test.Vault/open");
    });
    assertThat(opened).hasValue(0);
  }

  @Test
  void patternsAreValidated() {
    assertThatThrownBy(() -> AccessPolicy.builder().allow("noslash", "x"))
        .hasMessageContaining("expected: service/method, service/* or *");
  }
}
