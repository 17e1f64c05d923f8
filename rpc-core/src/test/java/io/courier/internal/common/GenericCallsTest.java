package io.courier.internal.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.Metadata;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.common.StreamObserver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenericCallsTest {

  @RpcService(name = "acme.Users")
  interface Users {
    String rename(long id, String name);

    List<String> search(Map<String, Integer> filter, int[] pages);

    void ping();

    void watch(String filter, StreamObserver<String> changes);
  }

  private static final ServiceDescriptor USERS = ServiceDescriptor.of(Users.class);

  @Test
  void aCallIsGenericWhenItCarriesTheHeader() {
    assertThat(GenericCalls.isGeneric(Metadata.EMPTY.with(GenericCalls.HEADER, "1"))).isTrue();
    assertThat(GenericCalls.isGeneric(Metadata.EMPTY)).isFalse();
    assertThat(GenericCalls.HEADER.name()).isEqualTo("courier-generic");
  }

  @Test
  void streamingMethodsAreRefusedByNameAndKind() {
    assertThat(GenericCalls.refusal(USERS.method("rename"))).isNull();
    Status refusal = GenericCalls.refusal(USERS.method("watch"));
    assertThat(refusal.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
    assertThat(refusal.description()).isEqualTo("acme.Users/watch is a SERVER_STREAMING method, and generic "
        + "invocation calls unary methods only (call it through a stub over http2)");
  }

  @Test
  void theExpectedArgumentsNameEachParameterAndItsType() {
    // the build compiles with -parameters, so the names are there
    assertThat(GenericCalls.expectedArguments(USERS.method("rename")))
        .isEqualTo("a JSON array of 2 values: id (long), name (String)");
    assertThat(GenericCalls.expectedArguments(USERS.method("search")))
        .isEqualTo("a JSON array of 2 values: filter (Map<String, Integer>), pages (int[])");
    assertThat(GenericCalls.expectedArguments(USERS.method("ping"))).isEqualTo("no arguments (an empty JSON array)");
    assertThat(GenericCalls.expectedArguments(ServiceDescriptor.generic("x").genericMethod("m", 1)))
        .as("a generic descriptor has no names").isEqualTo("a JSON array of 1 value: #0 (Object)");
  }
}
