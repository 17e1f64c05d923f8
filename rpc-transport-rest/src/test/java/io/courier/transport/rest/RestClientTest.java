package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.common.CallOptions;
import io.courier.common.Metadata;
import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.server.RpcServer;
import io.courier.testing.Polling;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Courier client calling resource routes through the {@code rest} transport, over HTTP/1.1 and h2: the stub builds
 * paths, query strings and bodies from the annotations, and every failure comes back with the status code the
 * service threw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestClientTest {

  private final UserResource.Impl users = new UserResource.Impl();
  private RpcServer server;
  private RpcClient http1;
  private RpcClient h2;

  @BeforeAll
  void start() {
    server = RpcServer.builder().host("127.0.0.1").listen("rest", 0).service(UserResource.class, users)
        .option(RestOptions.MAX_BODY_SIZE, 64 * 1024).build().start();
    http1 = client(false, 2);
    h2 = client(true, 2);
  }

  private RpcClient client(boolean overH2, int connections) {
    return RpcClient.builder().transport("rest").serializer("json").address("127.0.0.1:" + server.port())
        .option(RestOptions.HTTP2, overH2).option(RestOptions.MAX_CONNECTIONS_PER_ENDPOINT, connections)
        .option(RestOptions.MAX_BODY_SIZE, 1024).build();
  }

  @AfterAll
  void stop() {
    http1.close();
    h2.close();
    server.close();
  }

  private UserResource stub(boolean overH2) {
    return (overH2 ? h2 : http1).create(UserResource.class);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void resourceRoutesFromTheStub(boolean overH2) {
    UserResource stub = stub(overH2);
    assertThat(stub.get(7)).isEqualTo(new UserResource.User(7, "user-7", LocalDate.of(1990, 1, 2), List.of("a", "b")));
    assertThat(stub.me().name()).isEqualTo("me");
    assertThat(stub.list(3, List.of("x", "y z/&?"), LocalDate.of(2026, 11, 22)))
        .containsExactly(new UserResource.User(3, "page-3", LocalDate.of(2026, 11, 22), List.of("x", "y z/&?")));
    assertThat(stub.list(1, null, null).get(0).tags()).isEmpty();
    assertThat(stub.create(new UserResource.User(0, "Zoë", null, List.of())).id()).isEqualTo(99);
    assertThat(stub.update(5, new UserResource.User(0, "five", null, null)).id()).isEqualTo(5);
    stub.delete(12);
    assertThat(users.deleted).containsKey(12L);
    assertThat(stub.file("a b/c%d+e")).isEqualTo("file:a b/c%d+e");
    assertThat(stub.kind(UserResource.Kind.GUEST, false)).isEqualTo("GUEST/false");
    assertThat(stub.sum(new int[] {1, 2, 3})).isEqualTo(6);
    assertThat(stub.greet("Ada", "Lovelace")).isEqualTo("Hello, Ada Lovelace!");
    assertThat(stub.ping()).isEqualTo(42);
    stub.notify("one-way-" + overH2);
    Polling.await("the one-way call", () -> users.notified.contains("one-way-" + overH2));
  }

  @ParameterizedTest
  @EnumSource(value = StatusCode.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
  void everyStatusCodeComesBackAsThrown(StatusCode code) {
    for (boolean overH2 : new boolean[] {false, true}) {
      assertThatThrownBy(() -> stub(overH2).fail(code.name(), "because " + code))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.status().description()).startsWith("because " + code); // the cluster may add a note
          });
    }
  }

  @Test
  void applicationExceptionsAreRebuiltAndMetadataTravels() {
    UserResource stub = http1.create(UserResource.class, CallOptions.DEFAULT
        .withHeader(Metadata.Key.of("x-tenant"), "acme")
        .withHeader(Metadata.Key.binary("x-trace-bin"), new byte[] {1}));
    assertThatThrownBy(() -> stub.refuse("nobody")).isInstanceOf(UserResource.NoSuchUserException.class)
        .hasMessage("nobody");
    Map<String, String> seen = stub.headers();
    assertThat(seen).containsEntry("x-tenant", "acme").containsKey("user-agent").doesNotContainKey("host");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aResponseOverTheClientsLimitIsResourceExhausted(boolean overH2) {
    UserResource stub = stub(overH2); // h2: the stream is reset, the connection carries on
    assertThatThrownBy(() -> stub.list(1, java.util.Collections.nCopies(200, "0123456789"), null))
        .isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
          assertThat(e.status().description()).contains("RestOptions.MAX_BODY_SIZE");
        });
    assertThat(stub.ping()).isEqualTo(42);
  }

  @Test
  void callsBeyondThePoolWaitForAFreeConnection() throws Exception {
    UserResource stub = http1.create(UserResource.class); // two connections
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> stub.slow(50)));
    }
    for (CompletableFuture<String> call : calls) {
      assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("done");
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theDeadlineCancelsTheCallOnBothSides(boolean overH2) {
    UserResource stub = (overH2 ? h2 : http1).create(UserResource.class,
        CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)));
    int before = users.sleepers.size();
    assertThatThrownBy(() -> stub.slow(30_000)).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    Polling.await("the server call to start", () -> users.sleepers.size() > before);
    Polling.await("the server call to be cancelled", () -> users.sleepers.get(users.sleepers.size() - 1).isCancelled());
    assertThat(stub(overH2).ping()).isEqualTo(42);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anUnreachableServerIsUnavailable(boolean overH2) throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (RpcClient client = RpcClient.builder().transport("rest").serializer("json").address("127.0.0.1:" + port)
        .option(RestOptions.HTTP2, overH2).build()) {
      UserResource stub = client.create(UserResource.class);
      assertThatThrownBy(stub::ping).isInstanceOfSatisfying(RpcException.class, e -> {
        assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
        assertThat(e.status().description()).contains("cannot connect to 127.0.0.1:" + port);
      });
    }
  }

  /** A streaming service, which REST does not carry. */
  @io.courier.common.RpcService(name = "demo.Streams")
  interface Streams {
    void watch(String topic, io.courier.common.StreamObserver<String> updates);
  }

  @Test
  void streamingMethodsAreRefusedByTheRestClient() {
    try (RpcClient client = RpcClient.builder().transport("rest").serializer("json")
        .address("127.0.0.1:" + server.port()).build()) {
      Streams streams = client.create(Streams.class);
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      streams.watch("x", new io.courier.common.StreamObserver<>() {
        @Override
        public void onNext(String value) {}

        @Override
        public void onError(Throwable t) {
          failure.complete(t);
        }

        @Override
        public void onCompleted() {
          failure.complete(null);
        }
      });
      assertThat(failure).succeedsWithin(Duration.ofSeconds(10)).isInstanceOfSatisfying(RpcException.class,
          e -> assertThat(e.status().description()).contains("rest transport cannot stream"));
    }
  }
}
