package io.courier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.NoOpSerializerProvider;
import io.courier.common.CallOptions;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.StatusCode;
import io.courier.serialization.TypeAllowlist;
import org.junit.jupiter.api.Test;

/**
 * What a generic handle refuses before a call starts (the calls themselves run against real servers in
 * {@code GenericInvocationTest} of rpc-transport-http2, where the json serializer is).
 */
class GenericServiceTest {

  /** A handle whose calls never get past finding their method: it has no planner and no caller. */
  private static GenericService handle(ServiceDescriptor service) {
    return new GenericService(service, CallOptions.DEFAULT, new NoOpSerializerProvider().create(
        TypeAllowlist.withDefaults()), null, null);
  }

  @Test
  void anUnusableMethodNameIsAnInvalidArgument() {
    GenericService users = handle(ServiceDescriptor.generic("acme.Users"));
    assertThatThrownBy(() -> users.call("get user", 1)).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
      assertThat(e.status().description()).startsWith("generic call of acme.Users: method: 'get user'");
    });
    assertThat(users.callAsync("", 1)).isCompletedExceptionally();
    assertThat(users.serviceName()).isEqualTo("acme.Users");
    assertThat(users).hasToString("GenericService{acme.Users}");
  }

  @Test
  void pastTheMethodsAClientKeepsCallsAreResourceExhausted() {
    ServiceDescriptor service = ServiceDescriptor.generic("acme.Users");
    for (int i = 0; i < ServiceDescriptor.MAX_GENERIC_METHODS; i++) {
      service.genericMethod("m" + i, 1);
    }
    assertThatThrownBy(() -> handle(service).call("oneMore", 1)).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED));
  }
}
